// EXERCISE (lesson 08), part 2 of 2: the restart loop is missing (TODO
// below). Check your work with `pnpm exercise 08`.
//
// The rolling restart on SIGHUP: replace every worker, one at a time, start
// then stop: the new one listens before an old one is retired. At every
// moment at least WORKERS workers are serving, even with WORKERS=1.
import type { Worker } from 'node:cluster';
import { fork, log, name, type Pool } from '../src/pool.ts'; // the files you do not edit stay in src/
import { retire } from './shutdown.ts'; // yours: part 1

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
  // TODO 2: for each old worker, in turn: fork its successor with
  // fork(pool, `to take over from worker ${worker.id} (${i + 1}/${old.length})`),
  // wait until it listens (startsListening), and only then log
  // `worker ${successor.id} is serving; retiring ${name(worker)}` and
  // await retire(pool, worker). If the successor dies before listening, log
  // `worker ${successor.id} died before listening: restart aborted; the old workers keep serving`,
  // set pool.state back to 'running' and stop. After each await, stop if
  // pool.state is no longer 'restarting' (a shutdown took over).
  void [fork, name, retire, startsListening]; // (only so the unfinished file compiles: delete it)
  pool.state = 'running';
  log(`rolling restart complete: ${old.length} workers replaced; primary ${process.pid} unchanged`);
}
