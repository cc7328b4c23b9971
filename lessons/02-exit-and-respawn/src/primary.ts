// The primary keeps the pool full, carefully. For every worker that exits it
// logs how (signal, error code or clean, and exitedAfterDisconnect), then
// decides with src/exit-policy.ts: replace it, let the pool shrink, or, when
// workers keep dying as they start, stop instead of forking forever. A worker
// that crashes safely (src/safe-crash.ts) says so first: it is replaced then.
// Lessons 03 and 09 reuse this primary (they build on this lesson on purpose).
import cluster, { type Worker } from 'node:cluster';
import {
  announceReady,
  handleClusterStop,
  primaryLogger,
  type ServerEnv,
  startPrimary,
  urlOf,
} from '@cluster-course/shared';
import { decide, describeExit, MIN_UPTIME_MS } from './exit-policy.ts';
import { isKillMe } from './messages.ts';
import { CRASH_ACK, isCrashing } from './safe-crash.ts';

const log = primaryLogger();

interface Life {
  listeningAt?: number; // when its server started listening; unset until then
  crashing?: boolean; // it reported a safe crash (src/safe-crash.ts) and is on its way out
}

export async function runPrimary(config: ServerEnv): Promise<void> {
  // Say who we are, hold the lifeline, find a taken port before forking (shared/).
  await startPrimary({ log, host: config.host, ports: [config.port] });

  const alive = new Map<Worker, Life>();
  let pendingReplacements = 0;
  let failedStartsInARow = 0;
  let ready = false;
  // Lesson 01's stop, wired once (shared/src/runtime/cluster-stop.ts): SIGINT/SIGTERM,
  // a failed listen, or stop() below on a crash loop. Listening workers
  // disconnect; workers still starting get SIGTERM.
  const shutdown = handleClusterStop({
    log,
    workers: () => alive.keys(),
    isListening: (worker) => alive.get(worker)?.listeningAt !== undefined,
    beforeExit: (code) => log(`exiting with code ${code}`),
  });

  function fork(why: string): void {
    const worker = cluster.fork();
    alive.set(worker, {});
    log(`forked worker ${worker.id} (pid ${worker.process.pid}) ${why}`);
  }

  for (let i = 0; i < config.workers; i++) fork('at start');

  // The life cycle, as the primary sees it: fork, online (the process runs),
  // listening (its server is bound), then disconnect and exit.
  cluster.on('online', (worker) => log(`worker ${worker.id} (pid ${worker.process.pid}) is online`));

  cluster.on('listening', (worker, address) => {
    const life = alive.get(worker);
    if (!life) return;
    life.listeningAt = Date.now();
    log(`worker ${worker.id} (pid ${worker.process.pid}) listening on ${urlOf('http', config.host, address.port)}`);
    // A worker that stays up for MIN_UPTIME_MS ends a run of failed starts.
    // Said out loud: from here on, its death is a crash, not a failed start.
    setTimeout(() => {
      if (!alive.has(worker) || alive.get(worker)?.crashing || shutdown.stopping) return;
      failedStartsInARow = 0;
      log(`worker ${worker.id} (pid ${worker.process.pid}) has listened for ${MIN_UPTIME_MS} ms: a good start`);
    }, MIN_UPTIME_MS).unref();
    const listening = [...alive.values()].filter((l) => l.listeningAt !== undefined).length;
    if (!ready && listening === config.workers) {
      ready = true;
      announceReady(urlOf('http', config.host, address.port), `${config.workers} workers`);
    }
  });

  cluster.on('exit', (worker, code, signal) => {
    const life = alive.get(worker);
    alive.delete(worker);
    const name = `worker ${worker.id} (pid ${worker.process.pid})`;
    log(`${name} ${describeExit(code, signal)} (exitedAfterDisconnect: ${worker.exitedAfterDisconnect})`);
    if (shutdown.stopping) return; // the stop exits once every worker has
    // A safe crash was decided on when the worker reported it (below).
    if (life?.crashing) return log(`${name} had reported its crash; it was handled then`);
    decideAndAct(worker, life, code, signal);
  });

  // The safe crash (src/safe-crash.ts): the worker has stopped accepting and
  // is about to exit with `code`. Start its replacement now, start-then-stop,
  // then answer: every connection sent to it before this answer is read.
  cluster.on('message', (worker, message) => {
    // POST /kill-me: worker.kill() is process.kill(), SIGTERM by default. The
    // exit that follows carries exitedAfterDisconnect: false, like any kill.
    if (isKillMe(message)) {
      log(`worker ${worker.id} (pid ${worker.process.pid}) asked for it: worker.kill()`);
      return worker.kill();
    }
    const life = alive.get(worker);
    if (!isCrashing(message) || !life || life.crashing) return;
    life.crashing = true;
    log(`worker ${worker.id} (pid ${worker.process.pid}) is crashing (${message.error}); out of the rotation`);
    if (!shutdown.stopping) decideAndAct(worker, life, message.code, null);
    if (worker.isConnected()) worker.send(CRASH_ACK);
  });

  /** A worker is lost: decide with src/exit-policy.ts, and act on it. */
  function decideAndAct(worker: Worker, life: Life | undefined, code: number | null, signal: string | null): void {
    const decision = decide({
      code,
      signal,
      askedToStop: worker.exitedAfterDisconnect,
      servedForMs: life?.listeningAt === undefined ? null : Date.now() - life.listeningAt,
      failedStartsInARow,
    });
    failedStartsInARow = decision.failedStartsInARow;
    const { why } = decision;
    switch (decision.action) {
      case 'replace':
        log(`replacing worker ${worker.id} ${decision.delayMs ? `in ${decision.delayMs} ms` : 'now'} (${why})`);
        pendingReplacements += 1;
        setTimeout(() => {
          pendingReplacements -= 1;
          if (!shutdown.stopping) fork(`to replace worker ${worker.id}`);
        }, decision.delayMs);
        break;
      case 'keep-shrunk':
        log(`not replacing worker ${worker.id}: ${why}; ${alive.size} left`);
        if (alive.size === 0 && pendingReplacements === 0) {
          log('the last worker left cleanly; nothing left to serve with');
          log('exiting with code 0');
          process.exit(0);
        }
        break;
      case 'give-up':
        // The one line that says why, then a clean stop with exit code 1.
        process.stderr.write(`giving up: ${why} (the last one ${describeExit(code, signal)}); not forking any more\n`);
        shutdown.stop('crash loop', 1);
        break;
    }
  }
}
