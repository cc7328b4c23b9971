// The CPU work of this lesson: the same function whether the main thread
// runs it (MODE=blocking, MODE=cluster) or a pool thread does (MODE=threads).
// piscina loads this file in each of its threads and calls the default export
// with the task's data; the main thread imports it and calls it directly.
//
// The work is real: PBKDF2 key stretching (what password hashing does), a
// fixed number of iterations per "millisecond" measured once at start-up
// (calibrate()). Spinning on the clock instead would fake it: eight threads
// spinning 100 ms each "finish" in 100 ms on two cores, as if they had eight.
import { pbkdf2Sync } from 'node:crypto';
import { threadId } from 'node:worker_threads';

export interface CpuTask {
  kind: 'cpu' | 'boom' | 'warm-up';
  /** Milliseconds of work, as this machine measured them at start-up. */
  ms: number;
  iterationsPerMs: number;
  /**
   * Shared memory: one Int32 every thread of the process increments
   * (Atomics.add), so it counts the tasks of all threads. A SharedArrayBuffer
   * is shared, not copied, when it is sent to a thread; processes share none.
   */
  counter?: Int32Array;
}

export interface CpuResult {
  /** Which thread did the work: 0 is the main thread. */
  threadId: number;
  /** The counter after this task: tasks run so far by the whole process. */
  tasksRun: number;
  /**
   * How long the work really took, in ms (whole ms, rounded down): the CPU
   * is not as steady as the calibration, so this can differ from the `ms` asked.
   */
  workMs: number;
}

function work(iterations: number): void {
  if (iterations > 0) pbkdf2Sync('password', 'salt', iterations, 32, 'sha256');
}

export default function runTask(task: CpuTask): CpuResult {
  if (task.kind === 'boom') throw new Error('the CPU task failed (GET /boom)');
  const started = performance.now();
  if (task.kind === 'cpu') work(Math.round(task.ms * task.iterationsPerMs));
  const workMs = Math.floor(performance.now() - started);
  const tasksRun = task.counter && task.kind === 'cpu' ? Atomics.add(task.counter, 0, 1) + 1 : 0;
  return { threadId, tasksRun, workMs };
}

/** Iterations per millisecond on this machine: the fastest of a few short runs. */
export function calibrate(): number {
  const probe = 4_000;
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 5; round++) {
    const started = performance.now();
    work(probe);
    best = Math.min(best, performance.now() - started);
  }
  return Math.max(1, Math.round(probe / best));
}
