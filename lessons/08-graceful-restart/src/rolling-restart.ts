// The rolling restart on SIGHUP: replace every worker, one at a time, start
// then stop: the new one listens before an old one is retired. At every
// moment at least WORKERS workers are serving, even with WORKERS=1.
import type { Worker } from 'node:cluster';
import { fork, log, name, type Pool } from './pool.ts';
import { retire } from './shutdown.ts';

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

export async function rollingRestart(pool: Pool): Promise<void> {
  if (pool.state === 'restarting') return log('SIGHUP: a rolling restart is already running; ignoring this one');
  if (pool.state === 'stopping') return;
  pool.state = 'restarting';
  const old = [...pool.listening];
  log(`SIGHUP: rolling restart of ${old.length} workers, one at a time`);
  for (const [i, worker] of old.entries()) {
    const successor = fork(pool, `to take over from worker ${worker.id} (${i + 1}/${old.length})`);
    if (!(await startsListening(successor))) {
      if (pool.state === 'restarting') {
        log(`worker ${successor.id} died before listening: restart aborted; the old workers keep serving`);
        pool.state = 'running';
      }
      return;
    }
    if (pool.state !== 'restarting') return; // a shutdown took over
    log(`worker ${successor.id} is serving; retiring ${name(worker)}`);
    await retire(pool, worker);
    if (pool.state !== 'restarting') return;
  }
  pool.state = 'running';
  log(`rolling restart complete: ${old.length} workers replaced; primary ${process.pid} unchanged`);
}
