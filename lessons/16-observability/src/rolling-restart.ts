// SIGHUP: replace every worker, one at a time (lesson 08's rolling restart,
// short): fork the successor, wait until it listens, then drain the old one.
// On the live page it passes through the rows as a wave. Before the old
// worker is let go, the primary gathers from it one last time, so the
// requests it served since the last scrape stay in the ledger's totals.
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '@cluster-course/shared';
import { gather } from './metrics/gather.ts';
import type { CounterLedger } from './metrics/ledger.ts';
import { DRAINED, isType, STOP } from './metrics/messages.ts';

export interface RollingRestartOptions {
  old: Worker[];
  fork(why: string): Worker;
  retiring(worker: Worker): void;
  ledger: CounterLedger;
  timeoutMs: number;
  stopping(): boolean;
  log: Logger;
}

// Waits use worker.once(), not events.once(): that promise rejects on the
// Worker's 'error' event, and a message to a worker that died a moment ago
// (before the primary read its death) fails with EPIPE as just that. Here it
// only means the worker's 'exit' is on its way.

/** Resolves true once `worker` listens, false if it exits first. */
function listens(worker: Worker): Promise<boolean> {
  return new Promise((resolve) => {
    worker.once('listening', () => resolve(true));
    worker.once('exit', () => resolve(false));
  });
}

export async function rollingRestart(options: RollingRestartOptions): Promise<void> {
  const { old, log } = options;
  log(`SIGHUP: rolling restart of ${old.length} workers, one at a time`);
  for (const worker of old) {
    if (options.stopping()) return;
    const successor = options.fork(`to take over from worker ${worker.id}`);
    if (!(await listens(successor))) return log(`worker ${successor.id} died before listening: restart stopped`);
    if (worker.isDead() || !worker.isConnected()) continue;
    options.retiring(worker);
    const drained = new Promise<void>((resolve) => {
      const onMessage = (from: Worker, message: unknown) => {
        if (from !== worker || !isType(message, DRAINED.type)) return;
        cluster.off('message', onMessage);
        resolve();
      };
      cluster.on('message', onMessage);
      worker.once('exit', () => resolve());
    });
    worker.send(STOP, undefined, () => {});
    const deadline = setTimeout(() => worker.process.kill('SIGKILL'), 10_000);
    await drained;
    const last = await gather([worker], options.timeoutMs); // its final counts
    for (const [, answer] of last.answers) options.ledger.record(worker.id, answer.requests);
    if (worker.isConnected()) worker.disconnect();
    if (!worker.isDead()) await new Promise((resolve) => worker.once('exit', resolve));
    clearTimeout(deadline);
  }
  log(`rolling restart complete: ${old.length} workers replaced; primary ${process.pid} unchanged`);
}
