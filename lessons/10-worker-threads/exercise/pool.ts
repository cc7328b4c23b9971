// EXERCISE (lesson 10): the pool is missing (TODOs below): in MODE=threads
// every /cpu task still runs on the main thread, and blocks its event loop
// as MODE=blocking does. Check your work with `pnpm exercise 10`; stuck?
// `pnpm exercise 10 --hint`.
//
// MODE=threads: the CPU work goes to a pool of threads in this process.
// piscina keeps `size` threads, each running src/cpu-task.ts, queues tasks
// when all are busy, and returns each result as a promise. The main thread
// only waits for that promise: its event loop stays free for other requests.
import runTask, { type CpuResult, type CpuTask } from '../src/cpu-task.ts'; // the files you do not edit stay in src/

export interface Pool {
  run(task: Omit<CpuTask, 'iterationsPerMs' | 'counter'>): Promise<CpuResult>;
  threads(): number;
  tasksRun(): number;
  /** Lets running tasks finish, then ends every thread. */
  close(): Promise<void>;
  /** The threadId of each thread, as they answered the warm-up. */
  threadIds: number[];
}

export async function startPool(size: number, iterationsPerMs: number): Promise<Pool> {
  // TODO 2: one counter in memory that every thread sees. A plain
  // Int32Array is copied into each task; one on a SharedArrayBuffer is
  // shared: new Int32Array(new SharedArrayBuffer(4)).
  const counter = new Int32Array(4);

  // TODO 1: a pool of `size` threads, all started now (piscina's
  // minThreads and maxThreads), each running src/cpu-task.ts (its
  // `filename`: import.meta.resolve('./cpu-task.ts'), found as an import
  // would be), and
  // `run` handing each task, with iterationsPerMs and counter, to it
  // (pool.run(...) returns the promise of the result).
  // Until then the work runs right here, on the main thread:
  const run: Pool['run'] = async (task) => runTask({ ...task, iterationsPerMs, counter });

  // Each starting thread takes one warm-up task (piscina gives a task to an
  // idle thread first), so when this resolves every thread has loaded
  // cpu-task.ts and the first real request pays no start-up.
  const warmUp = await Promise.all(Array.from({ length: size }, () => run({ kind: 'warm-up', ms: 0 })));
  return {
    threadIds: warmUp.map((result) => result.threadId),
    run,
    threads: () => 0, // TODO 1: the pool's threads (pool.threads.length)
    tasksRun: () => Atomics.load(counter, 0),
    close: async () => {}, // TODO 1: the pool's close()
  };
}
