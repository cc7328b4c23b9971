// The primary of lesson 04: it forks the workers and prints, for each one,
// the port its server really got, as the worker reports it. With
// PORT_MODE=shared they are all the same; with per-worker, all different.
import cluster, { type Worker } from 'node:cluster';
import { announceReady, handleClusterStop, primaryLogger, startPrimary, urlOf } from '@cluster-course/shared';
import { config } from './config.ts';
import { isPortReport } from './port-report.ts';

const log = primaryLogger();

export async function runPrimary(): Promise<void> {
  // The ports checked before forking (shared/): the one port, or PORT + id for each worker.
  const perWorker = Array.from({ length: config.workers }, (_, i) => config.port + i + 1);
  const checked = config.port === 0 ? [] : config.portMode === 'shared' ? [config.port] : perWorker;
  const about = `PORT_MODE=${config.portMode}, PORT=${config.port}`;
  await startPrimary({ log, host: config.host, ports: checked, about });

  const ports = new Map<Worker, number>();
  const alive = new Set<Worker>();
  // Lesson 01's stop, wired once (shared/src/runtime/cluster-stop.ts): workers that
  // reported their port disconnect (and close their server, see
  // src/worker.ts); the others are still starting and get SIGTERM.
  const shutdown = handleClusterStop({ log, workers: () => alive, isListening: (worker) => ports.has(worker) });
  for (let i = 0; i < config.workers; i++) alive.add(cluster.fork());

  cluster.on('message', (worker, message) => {
    if (!isPortReport(message)) return;
    ports.set(worker, message.port);
    log(`worker ${worker.id} (pid ${worker.process.pid}) listening on ${urlOf('http', config.host, message.port)}`);
    if (ports.size === config.workers) {
      const byId = [...ports].sort(([a], [b]) => a.id - b.id).map(([, port]) => port);
      const distinct = [...new Set(byId)];
      const detail = `${config.workers} workers, PORT_MODE=${config.portMode}, ports ${distinct.join(' ')}`;
      announceReady(urlOf('http', config.host, distinct[0] ?? 0), detail);
    }
  });

  cluster.on('exit', (worker, code, signal) => {
    alive.delete(worker);
    log(`worker ${worker.id} (pid ${worker.process.pid}) exited (${signal ?? `code ${code}`})`);
    if (!shutdown.stopping) shutdown.stop('a worker exited', 1);
  });
}
