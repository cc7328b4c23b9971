// The primary's view of its workers, shared by src/primary.ts (events),
// src/shutdown.ts and src/rolling-restart.ts.
import cluster, { type Worker } from 'node:cluster';
import { primaryLogger } from '@cluster-course/shared';

export const log = primaryLogger();
export const name = (worker: Worker) => `worker ${worker.id} (pid ${worker.process.pid})`;

export const pool = {
  /** Every worker not yet exited... */
  workers: new Set<Worker>(),
  /** ...of which these are serving... */
  listening: new Set<Worker>(),
  /** ...and these were told to stop. */
  retiring: new Set<Worker>(),
  state: 'running' as 'running' | 'restarting' | 'stopping',
  /** Workers killed at the shutdown deadline: the exit code will be 1. */
  killed: 0,
};

export function fork(why: string): Worker {
  const worker = cluster.fork();
  pool.workers.add(worker);
  log(`forked ${name(worker)} ${why}`);
  return worker;
}
