// EXERCISE (lesson 08), part 1 of 2: the deadline is missing (TODO below):
// a worker stuck on a request holds the shutdown forever. Part 2 is in
// exercise/rolling-restart.ts. Check your work with `pnpm exercise 08`;
// stuck? `pnpm exercise 08 --hint`.
//
// Stopping: one worker (retire), or all of them (shutdown), each the
// graceful way under a deadline.
import type { Worker } from 'node:cluster';
import { once } from 'node:events';
import { config } from '../src/config.ts'; // the files you do not edit stay in src/
import { STOP } from '../src/messages.ts';
import { log, name, type Pool } from '../src/pool.ts';

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
  // TODO 1: the deadline. If the worker has not exited after
  // config.shutdownTimeoutMs, count it (pool.killed += 1), log
  // `${name(worker)} is still busy after ${config.shutdownTimeoutMs} ms: killing it`
  // and SIGKILL it. Once it has exited, cancel the timer.
  void name; // (only so the unfinished file compiles: delete it)
  await exited;
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
