// Stopping: one worker (retire), or all of them (shutdown), each the
// graceful way under a deadline.
import type { Worker } from 'node:cluster';
import { once } from 'node:events';
import { config } from './config.ts';
import { STOP } from './messages.ts';
import { log, name, type Pool } from './pool.ts';

/**
 * Stop one worker the graceful way and resolve when it has exited. A
 * worker still busy after SHUTDOWN_TIMEOUT_MS is killed.
 */
export async function retire(pool: Pool, worker: Worker): Promise<void> {
  if (worker.isDead()) return;
  pool.retiring.add(worker);
  const exited = once(worker, 'exit');
  if (!worker.isConnected()) {
    // Its IPC channel is closed: it is leaving already (it crashed, or left),
    // and STOP sent now would be an unhandled ERR_IPC_CHANNEL_CLOSED error.
  } else if (pool.listening.has(worker)) {
    // With a callback, a failed send is reported here, not as an 'error'
    // event, which would reject `exited` (events.once rejects on 'error'):
    // it fails with EPIPE when the worker died a moment ago and the primary
    // has not read its death yet (kill -9, then Ctrl-C). Its exit follows.
    worker.send(STOP, undefined, () => {});
  } else {
    // Not serving yet (and maybe not even listening for messages): just end it.
    worker.process.kill('SIGTERM');
  }
  const deadline = setTimeout(() => {
    pool.killed += 1;
    log(`${name(worker)} is still busy after ${config.shutdownTimeoutMs} ms: killing it`);
    worker.process.kill('SIGKILL');
  }, config.shutdownTimeoutMs);
  await exited;
  clearTimeout(deadline);
}

/** Retire every worker at once, then exit: 0, or 1 if one had to be killed or `failed`. */
export async function shutdown(pool: Pool, signal: string, failed = false): Promise<void> {
  if (pool.state === 'stopping') return;
  if (pool.state === 'restarting') log(`${signal} during the rolling restart: it stops here`);
  pool.state = 'stopping';
  log(`${signal}: stopping ${pool.workers.size} workers gracefully (deadline ${config.shutdownTimeoutMs} ms)`);
  await Promise.all([...pool.workers].map((worker) => retire(pool, worker)));
  const code = pool.killed > 0 || failed ? 1 : 0;
  log(
    pool.killed > 0
      ? `${pool.killed} worker(s) had to be killed; exiting with code 1`
      : `all workers done; exiting with code ${code}`,
  );
  process.exit(code);
}
