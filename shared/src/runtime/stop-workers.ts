// Stopping a cluster's workers, safely at any moment, including while some
// of them are still starting. Lesson 01 writes this out where it teaches
// stopping; the lessons after it, which teach other things, call this copy.
//
// Why not just worker.disconnect() for everyone? A worker that is forked but
// still loading its code (with ES modules, loading is asynchronous, so its
// event loop already runs) handles the disconnect before its own handlers
// exist. A message sent now ('shutdown', say) is dropped, and a
// `cluster.worker.on('disconnect')` it attaches later never fires. The
// worker then goes on to listen() and serves until something kills it. Even
// the 'online' event does not help: it comes before the worker's code runs.
//
// So the rule is: a worker whose server is listening has connections to
// drain; stop it gracefully. A worker that is not listening yet has accepted
// nothing and holds nothing; end it with SIGTERM right away.
import type { Worker } from 'node:cluster';

export interface StopWorkersOptions {
  /** Is this worker's server listening? Only those are stopped gracefully. */
  isListening(worker: Worker): boolean;
  /** The graceful stop of a listening worker; default `worker.disconnect()`. */
  graceful?: (worker: Worker) => void;
  /** A worker still alive after this long is killed (a stuck drain); default 4 s. */
  killAfterMs?: number;
}

/** Stops every worker given; resolves once all of them have exited. */
export async function stopWorkers(workers: Iterable<Worker>, options: StopWorkersOptions): Promise<void> {
  const { isListening, graceful = (worker) => worker.disconnect(), killAfterMs = 4_000 } = options;
  const running = [...workers].filter((worker) => !worker.isDead());
  // Not events.once(worker, 'exit'): that promise rejects on the Worker's
  // first 'error' event, and a worker killed a moment ago, whose death the
  // primary has not read yet, still looks connected: the graceful message
  // to it fails with EPIPE, emitted as 'error'. The stop would throw, the
  // primary die with exit code 1 and leave the other workers running. That
  // error is the death we are waiting for anyway: its 'exit' follows.
  const exited = running.map((worker) => new Promise((resolve) => worker.once('exit', resolve)));
  for (const worker of running) {
    // Its IPC channel already closed: it is on its way out (it crashed, or
    // disconnected itself) and its exit is all there is to wait for. A
    // message now (a lesson's graceful step may be worker.send()) would be
    // an 'error' event, ERR_IPC_CHANNEL_CLOSED, that no one handles: the
    // primary would die of it with exit code 1 and leave the rest running.
    if (!worker.isConnected()) continue;
    if (isListening(worker)) graceful(worker);
    else worker.process.kill('SIGTERM');
  }
  // The safety net, not the plan: a drain that never ends.
  const fallback = setTimeout(() => {
    for (const worker of running) if (!worker.isDead()) worker.process.kill('SIGKILL');
  }, killAfterMs);
  await Promise.all(exited);
  clearTimeout(fallback);
}

/**
 * For workers. Ctrl-C in a terminal sends SIGINT to every process of the
 * foreground process group: the primary and each worker at the same moment.
 * A worker that died of it would race the primary's orderly stop (and look
 * like a crash to it), so a worker ignores SIGINT and lets the primary lead.
 */
export function ignoreTerminalCtrlC(): void {
  process.on('SIGINT', () => {});
}
