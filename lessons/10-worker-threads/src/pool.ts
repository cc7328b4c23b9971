// MODE=threads: the CPU work goes to a pool of threads in this process.
// piscina keeps `size` threads, each running src/cpu-task.ts, queues tasks
// when all are busy, and returns each result as a promise. The main thread
// only waits for that promise: its event loop stays free for other requests.
import { Piscina } from 'piscina';
import type { CpuResult, CpuTask } from './cpu-task.ts';

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
  // One counter in memory every thread sees: sent with each task, a
  // SharedArrayBuffer is shared, not copied.
  const counter = new Int32Array(new SharedArrayBuffer(4));
  const pool = new Piscina<CpuTask, CpuResult>({
    // Resolved as an import is (import.meta.resolve), not as a path: the
    // same file is found wherever this module is loaded from.
    filename: import.meta.resolve('./cpu-task.ts'),
    // Fixed size: all threads start now, none is added under load. More
    // threads than cores only adds switching (see the README's pitfalls).
    minThreads: size,
    maxThreads: size,
    // The threads inherit `--import tsx` from this process's execArgv, which
    // is how they can load a .ts file.
  });
  const run: Pool['run'] = (task) => pool.run({ ...task, iterationsPerMs, counter });
  // Each starting thread takes one warm-up task (piscina gives a task to an
  // idle thread first), so when this resolves every thread has loaded
  // cpu-task.ts and the first real request pays no start-up.
  const warmUp = await Promise.all(Array.from({ length: size }, () => run({ kind: 'warm-up', ms: 0 })));
  return {
    threadIds: warmUp.map((result) => result.threadId),
    run,
    threads: () => pool.threads.length,
    tasksRun: () => Atomics.load(counter, 0),
    close: () => pool.close(),
  };
}
