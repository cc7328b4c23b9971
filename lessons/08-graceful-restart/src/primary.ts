// The primary: graceful shutdown on SIGTERM/SIGINT, rolling restart on SIGHUP.
import cluster, { type Worker } from 'node:cluster';
import { once } from 'node:events';
import { announceReady, holdLifeline, isListenFailed, primaryLogger, urlOf } from '@cluster-course/shared';
import { config } from './config.ts';

const log = primaryLogger();
const name = (worker: Worker) => `worker ${worker.id} (pid ${worker.process.pid})`;

export function runPrimary(): void {
  log(`Primary ${process.pid} is running (SHUTDOWN_TIMEOUT_MS=${config.shutdownTimeoutMs})`);
  holdLifeline();

  const workers = new Set<Worker>(); // every worker not yet exited
  const listening = new Set<Worker>(); // ...of which these are serving
  const retiring = new Set<Worker>(); // ...and these were told to stop
  let state: 'running' | 'restarting' | 'stopping' = 'running';
  let killed = 0;
  let ready = false;

  function fork(why: string): Worker {
    const worker = cluster.fork();
    workers.add(worker);
    log(`forked ${name(worker)} ${why}`);
    return worker;
  }

  cluster.on('listening', (worker, address) => {
    listening.add(worker);
    log(`${name(worker)} listening on ${urlOf('http', config.host, address.port)}`);
    if (!ready && listening.size === config.workers) {
      ready = true;
      announceReady(urlOf('http', config.host, address.port), `${config.workers} workers`);
    }
  });

  cluster.on('exit', (worker, code, signal) => {
    const wasServing = listening.delete(worker);
    const expected = retiring.delete(worker);
    workers.delete(worker);
    log(`${name(worker)} exited (${signal ?? `code ${code}`})${expected ? '' : ', unexpectedly'}`);
    // A crash outside a shutdown: replace it, if it had ever served. (Lesson
    // 02 does this carefully, with backoff; here it keeps the pool full.)
    if (!expected && state !== 'stopping' && wasServing) fork(`to replace ${name(worker)}`);
  });

  /** Resolves true once `worker` listens, false if it exits first. */
  function startsListening(worker: Worker): Promise<boolean> {
    return new Promise((resolve) => {
      const onListening = () => {
        worker.off('exit', onExit);
        resolve(true);
      };
      const onExit = () => {
        worker.off('listening', onListening);
        resolve(false);
      };
      worker.once('listening', onListening);
      worker.once('exit', onExit);
    });
  }

  /**
   * Stop one worker the graceful way and resolve when it has exited. A
   * worker still busy after SHUTDOWN_TIMEOUT_MS is killed.
   */
  async function retire(worker: Worker): Promise<void> {
    if (worker.isDead()) return;
    retiring.add(worker);
    const exited = once(worker, 'exit');
    if (listening.has(worker)) {
      worker.send({ type: 'stop' });
    } else {
      // Not serving yet (and maybe not even listening for messages): just end it.
      worker.process.kill('SIGTERM');
    }
    const deadline = setTimeout(() => {
      killed += 1;
      log(`${name(worker)} is still busy after ${config.shutdownTimeoutMs} ms: killing it`);
      worker.process.kill('SIGKILL');
    }, config.shutdownTimeoutMs);
    await exited;
    clearTimeout(deadline);
  }

  async function shutdown(signal: string, failed = false): Promise<void> {
    if (state === 'stopping') return;
    if (state === 'restarting') log(`${signal} during the rolling restart: it stops here`);
    state = 'stopping';
    log(`${signal}: stopping ${workers.size} workers gracefully (deadline ${config.shutdownTimeoutMs} ms)`);
    await Promise.all([...workers].map(retire));
    const code = killed > 0 || failed ? 1 : 0;
    log(
      killed > 0
        ? `${killed} worker(s) had to be killed; exiting with code 1`
        : `all workers done; exiting with code ${code}`,
    );
    process.exit(code);
  }

  /**
   * Replace every worker, one at a time: start the new one, wait until it
   * listens, and only then retire an old one. At every moment at least
   * WORKERS workers are serving, even with WORKERS=1.
   */
  async function rollingRestart(): Promise<void> {
    if (state === 'restarting') return log('SIGHUP: a rolling restart is already running; ignoring this one');
    if (state === 'stopping') return;
    state = 'restarting';
    const old = [...listening];
    log(`SIGHUP: rolling restart of ${old.length} workers, one at a time`);
    for (const [i, worker] of old.entries()) {
      const successor = fork(`to take over from worker ${worker.id} (${i + 1}/${old.length})`);
      if (!(await startsListening(successor))) {
        if (state === 'restarting') {
          log(`worker ${successor.id} died before listening: restart aborted; the old workers keep serving`);
          state = 'running';
        }
        return;
      }
      if (state !== 'restarting') return; // a shutdown took over
      log(`worker ${successor.id} is serving; retiring ${name(worker)}`);
      await retire(worker);
      if (state !== 'restarting') return;
    }
    state = 'running';
    log(`rolling restart complete: ${old.length} workers replaced; primary ${process.pid} unchanged`);
  }

  // A drained worker has closed its last connection; the primary has by then
  // taken it out of the rotation (its 'close' came first on the same channel).
  // Disconnecting it lets it exit with nothing in flight.
  cluster.on('message', (worker, message: { type?: string }) => {
    if (message?.type !== 'drained') return;
    retiring.add(worker);
    worker.disconnect();
  });

  cluster.on('message', (_worker, message) => {
    if (!isListenFailed(message) || state === 'stopping') return;
    process.stderr.write(`${message.message}\n`);
    void shutdown('cannot listen', true);
  });

  for (let i = 0; i < config.workers; i++) fork('at start');
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGHUP', () => void rollingRestart());
}
