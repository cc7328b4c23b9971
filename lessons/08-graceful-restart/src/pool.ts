// The primary's view of its workers. src/primary.ts makes one pool and
// passes it to src/shutdown.ts and src/rolling-restart.ts: every function
// that reads or changes it says so in its arguments.
import cluster, { type Worker } from 'node:cluster';
import { primaryLogger } from '@cluster-course/shared';

export const log = primaryLogger();
export const name = (worker: Worker) => `worker ${worker.id} (pid ${worker.process.pid})`;

export interface Pool {
  /** Every worker not yet exited... */
  workers: Set<Worker>;
  /** ...of which these are serving... */
  listening: Set<Worker>;
  /** ...and these were told to stop. */
  retiring: Set<Worker>;
  state: 'running' | 'restarting' | 'stopping';
  /** Workers killed at the shutdown deadline: the exit code will be 1. */
  killed: number;
}

export function newPool(): Pool {
  return { workers: new Set(), listening: new Set(), retiring: new Set(), state: 'running', killed: 0 };
}

export function fork(pool: Pool, why: string): Worker {
  const worker = cluster.fork();
  pool.workers.add(worker);
  log(`forked ${name(worker)} ${why}`);
  return worker;
}
