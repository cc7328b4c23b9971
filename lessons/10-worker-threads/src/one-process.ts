// MODE=blocking and MODE=threads: one process serves everything. In
// blocking mode its main thread also does the CPU work; in threads mode a
// pool of threads does (src/pool.ts). There is no primary and no worker
// process: WORKERS=2 in threads mode means 2 threads and 1 pid.
import { once } from 'node:events';
import { announceReady, exitIfPortInUse, holdLifeline, listenOrReport, urlOf } from '@cluster-course/shared';
import { createApp } from './app.ts';
import { config } from './config.ts';
import runTask, { type CpuTask, calibrate } from './cpu-task.ts';
import { type Pool, startPool } from './pool.ts';

/** The whole stop may take 5 s: requests still open after this are cut. */
const DRAIN_MS = 3_000;

export async function runOneProcess(mode: 'blocking' | 'threads'): Promise<void> {
  const log = (line: string) => process.stdout.write(`[process ${process.pid}] ${line}\n`);
  // Listening before the first line: a stop that comes with it is ours to handle.
  const stopped = stopSignal();
  let listening = false;
  // A stop before the server listens has nothing to drain: no request can
  // be open. It ends the process at once, pool threads still starting and
  // all (they die with it), instead of waiting for a start that a busy
  // machine can make last seconds.
  void stopped.then((reason) => {
    if (listening) return;
    log(`${reason} before the server listens: nothing to drain, exiting`);
    process.exit(0);
  });
  log(`MODE=${mode}: one process, the CPU work on ${mode === 'threads' ? 'a pool of threads' : 'its main thread'}`);
  holdLifeline();
  // A taken port is found before the threads start: one line, exit 1, at once.
  await exitIfPortInUse(config.host, [config.port]);
  const iterationsPerMs = config.iterationsPerMs || calibrate();
  log(
    `1 ms of /cpu work = ${iterationsPerMs} PBKDF2 iterations (${config.iterationsPerMs ? 'CPU_ITERATIONS_PER_MS' : 'measured now'})`,
  );
  let pool: Pool | undefined;
  if (mode === 'threads') {
    const started = performance.now();
    pool = await startPool(config.workers, iterationsPerMs);
    const ms = (performance.now() - started).toFixed(0);
    log(`a pool of ${config.workers} threads started in ${ms} ms (thread ids ${pool.threadIds.join(', ')})`);
  }

  // Blocking: runTask() runs right here, on the main thread, before any await.
  let inlineTasks = 0;
  const inline = async (task: Omit<CpuTask, 'iterationsPerMs'>) => {
    const result = runTask({ ...task, iterationsPerMs });
    return { ...result, tasksRun: task.kind === 'cpu' ? ++inlineTasks : inlineTasks };
  };
  const server = createApp({
    mode,
    workerId: 1,
    run: pool?.run ?? inline,
    threads: pool?.threads,
    tasksRun: () => pool?.tasksRun() ?? inlineTasks,
    log,
  });
  server.once('listening', () => {
    listening = true;
  });
  listenOrReport(server, { host: config.host, port: config.port }); // a taken port: one line, exit 1
  await Promise.race([once(server, 'listening'), stopped]);
  if (server.listening) {
    const { port } = server.address() as { port: number };
    const detail = pool ? `a pool of ${config.workers} threads` : 'CPU work on the main thread';
    announceReady(urlOf('http', config.host, port), `MODE=${mode}: 1 process, ${detail}`);
  }

  // The stop: no new connections, open requests may finish (DRAIN_MS at
  // most), then the pool's threads end, then the process, with exit code 0.
  const reason = await stopped;
  log(`${reason}: closing the server${pool ? ' and the pool' : ''}`);
  const closed = server.listening ? once(server, 'close') : Promise.resolve();
  server.close();
  server.closeIdleConnections();
  const cut = setTimeout(() => server.closeAllConnections(), DRAIN_MS);
  await closed;
  clearTimeout(cut);
  await pool?.close();
  process.exit(0);
}

/** Resolves with the first SIGINT or SIGTERM; later ones are ignored (the stop is under way). */
function stopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    process.on('SIGINT', () => resolve('SIGINT'));
    process.on('SIGTERM', () => resolve('SIGTERM'));
  });
}
