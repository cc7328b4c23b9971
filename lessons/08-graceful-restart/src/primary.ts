// The primary of lesson 08: it forks the workers, keeps its view of them
// (a pool, src/pool.ts) up to date, and wires the signals: SIGTERM/SIGINT run the
// graceful shutdown (src/shutdown.ts), SIGHUP the rolling restart
// (src/rolling-restart.ts).
import cluster from 'node:cluster';
import { announceReady, isListenFailed, startPrimary, urlOf } from '@cluster-course/shared';
import { config } from './config.ts';
import { DRAINED, isMessage } from './messages.ts';
import { fork, log, name, newPool } from './pool.ts';
import { rollingRestart } from './rolling-restart.ts';
import { shutdown } from './shutdown.ts';

export async function runPrimary(): Promise<void> {
  const about = `SHUTDOWN_TIMEOUT_MS=${config.shutdownTimeoutMs}`;
  await startPrimary({ log, host: config.host, ports: [config.port], about }); // shared/: a taken port exits 1 here
  const pool = newPool();
  let ready = false;

  cluster.on('listening', (worker, address) => {
    pool.listening.add(worker);
    log(`${name(worker)} listening on ${urlOf('http', config.host, address.port)}`);
    if (!ready && pool.listening.size === config.workers) {
      ready = true;
      announceReady(urlOf('http', config.host, address.port), `${config.workers} workers`);
    }
  });

  cluster.on('exit', (worker, code, signal) => {
    const wasServing = pool.listening.delete(worker);
    const expected = pool.retiring.delete(worker);
    pool.workers.delete(worker);
    log(`${name(worker)} exited (${signal ?? `code ${code}`})${expected ? '' : ', unexpectedly'}`);
    // A crash outside a shutdown: replace it at once, if it had ever served.
    // Lesson 02's backoff and crash-loop guard are left out on purpose, to
    // keep this lesson about stopping; a worker that never served is not
    // replaced, so a crash loop cannot start here.
    if (!expected && pool.state !== 'stopping' && wasServing) fork(pool, `to replace ${name(worker)}`);
  });

  // A drained worker has closed its last connection; the primary has by then
  // taken it out of the rotation (its 'close' came first on the same channel).
  // Disconnecting it lets it exit with nothing in flight.
  cluster.on('message', (worker, message) => {
    if (!isMessage(message, DRAINED)) return;
    pool.retiring.add(worker);
    worker.disconnect();
  });

  cluster.on('message', (_worker, message) => {
    if (!isListenFailed(message) || pool.state === 'stopping') return;
    process.stderr.write(`${message.message}\n`);
    void shutdown(pool, 'cannot listen', true);
  });

  for (let i = 0; i < config.workers; i++) fork(pool, 'at start');
  process.on('SIGTERM', () => void shutdown(pool, 'SIGTERM'));
  process.on('SIGINT', () => void shutdown(pool, 'SIGINT'));
  process.on('SIGHUP', () => void rollingRestart(pool));
}
