// The primary keeps the pool full, carefully. For every worker that exits it
// logs how (signal, error code or clean, and exitedAfterDisconnect), then
// decides with src/exit-policy.ts: replace it, let the pool shrink, or, when
// workers keep dying as they start, stop instead of forking forever.
// Lessons 03 and 09 reuse this primary (they build on this lesson on purpose),
// and so does part 2 (stranded/), through `leaving()` below.
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

const log = primaryLogger();

interface Life {
  listeningAt?: number; // when its server started listening; unset until then
  leaving?: boolean; // it said it is on its way out (leaving() below): decided then
}

/** What the running primary offers the code built on it (part 2's safe crash). */
export interface Primary {
  /**
   * `worker` says it will exit with `code` and has stopped accepting: decide
   * (replace it, shrink, give up) now instead of at its exit, so a
   * replacement starts before it is gone. False if it is not ours, or said so already.
   */
  leaving(worker: Worker, code: number, why: string): boolean;
}

export async function runPrimary(config: ServerEnv): Promise<Primary> {
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
      if (!alive.has(worker) || alive.get(worker)?.leaving || shutdown.stopping) return;
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
    if (life?.leaving) return log(`${name} had said it was leaving; decided then`);
    decideAndAct(worker, life, code, signal);
  });

  // POST /kill-me: worker.kill() is process.kill(), SIGTERM by default. The
  // exit that follows carries exitedAfterDisconnect: false, like any kill.
  cluster.on('message', (worker, message) => {
    if (!isKillMe(message)) return;
    log(`worker ${worker.id} (pid ${worker.process.pid}) asked for it: worker.kill()`);
    worker.kill();
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

  return {
    leaving(worker, code, why) {
      const life = alive.get(worker);
      if (!life || life.leaving) return false;
      life.leaving = true;
      log(`worker ${worker.id} (pid ${worker.process.pid}) ${why}`);
      if (!shutdown.stopping) decideAndAct(worker, life, code, null);
      return true;
    },
  };
}
