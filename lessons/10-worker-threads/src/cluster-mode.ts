// MODE=cluster: WORKERS processes, each doing its CPU work on its own main
// thread. A busy worker is blocked like MODE=blocking's process, but the
// others still serve. The primary has the shape of lesson 07's (fork, ready
// once every worker listens, the shared stop, no respawn: lesson 02 does
// that), owned here rather than imported: it also measures the CPU work
// once and hands the figure to every worker it forks.
import cluster, { type Worker } from 'node:cluster';
import {
  announceReady,
  handleClusterStop,
  ignoreTerminalCtrlC,
  listenOrReport,
  primaryLogger,
  startPrimary,
  urlOf,
  workerLogger,
} from '@cluster-course/shared';
import { createApp } from './app.ts';
import { config } from './config.ts';
import runTask, { calibrate } from './cpu-task.ts';

export async function runClusterPrimary(): Promise<void> {
  const log = primaryLogger();
  await startPrimary({ log, host: config.host, ports: [config.port], about: 'MODE=cluster' });
  // Measured once, here, and given to every worker: the same work per ms.
  const iterationsPerMs = config.iterationsPerMs || calibrate();
  log(
    `1 ms of /cpu work = ${iterationsPerMs} PBKDF2 iterations (${config.iterationsPerMs ? 'CPU_ITERATIONS_PER_MS' : 'measured now'})`,
  );
  const alive = new Set<Worker>();
  const listening = new Set<Worker>();
  const shutdown = handleClusterStop({ log, workers: () => alive, isListening: (worker) => listening.has(worker) });
  for (let i = 0; i < config.workers; i++) alive.add(cluster.fork({ CPU_ITERATIONS_PER_MS: String(iterationsPerMs) }));

  cluster.on('listening', (worker, address) => {
    listening.add(worker);
    if (listening.size === config.workers) {
      announceReady(urlOf('http', config.host, address.port), `MODE=cluster: ${config.workers} worker processes`);
    }
  });
  cluster.on('exit', (worker, code, signal) => {
    alive.delete(worker);
    listening.delete(worker);
    if (shutdown.stopping) return;
    log(`worker ${worker.id} (pid ${worker.process.pid}) exited (${signal ?? `code ${code}`}); not replaced`);
    if (alive.size === 0) shutdown.stop('no workers left', 1);
  });
}

export function runClusterWorker(): void {
  const id = cluster.worker?.id ?? 0;
  const log = workerLogger(id);
  log(`Worker ${process.pid} started`);
  const { iterationsPerMs } = config; // set by the primary
  let tasksRun = 0; // this process's own: no other worker can see it
  const server = createApp({
    mode: 'cluster',
    workerId: id,
    run: async (task) => {
      const result = runTask({ ...task, iterationsPerMs }); // blocks this worker's event loop
      return { ...result, tasksRun: task.kind === 'cpu' ? ++tasksRun : tasksRun };
    },
    tasksRun: () => tasksRun,
    log,
  });
  listenOrReport(server, { host: config.host, port: config.port });
  ignoreTerminalCtrlC(); // the primary stops us (shared/src/runtime/stop-workers.ts)
}
