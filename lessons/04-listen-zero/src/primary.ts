// The primary of lesson 04: it forks the workers and prints, for each one,
// the port its server really got, as the worker reports it. With
// PORT_MODE=shared they are all the same; with per-worker, all different.
import cluster, { type Worker } from 'node:cluster';
import {
  announceReady,
  exitIfPortInUse,
  holdLifeline,
  isListenFailed,
  primaryLogger,
  stopWorkers,
  urlOf,
} from '@cluster-course/shared';
import { config } from './config.ts';

const log = primaryLogger();

export async function runPrimary(): Promise<void> {
  log(`Primary ${process.pid} is running (PORT_MODE=${config.portMode}, PORT=${config.port})`);
  holdLifeline();
  // Before forking (shared/): the one port, or PORT + id for each worker.
  const perWorker = Array.from({ length: config.workers }, (_, i) => config.port + i + 1);
  await exitIfPortInUse(config.host, config.port === 0 ? [] : config.portMode === 'shared' ? [config.port] : perWorker);

  const ports = new Map<Worker, number>();
  const alive = new Set<Worker>();
  for (let i = 0; i < config.workers; i++) alive.add(cluster.fork());

  cluster.on('message', (worker, message: { type?: string; port?: number }) => {
    if (isListenFailed(message)) return fail(message.message);
    if (message?.type !== 'listening' || typeof message.port !== 'number') return;
    ports.set(worker, message.port);
    log(`worker ${worker.id} (pid ${worker.process.pid}) listening on ${urlOf('http', config.host, message.port)}`);
    if (ports.size === config.workers) {
      const byId = [...ports].sort(([a], [b]) => a.id - b.id).map(([, port]) => port);
      const distinct = [...new Set(byId)];
      const detail = `${config.workers} workers, PORT_MODE=${config.portMode}, ports ${distinct.join(' ')}`;
      announceReady(urlOf('http', config.host, distinct[0] ?? 0), detail);
    }
  });

  let stopping = false;
  let exitCode = 0;
  // Lesson 01's stop, from shared/: workers that reported their port
  // disconnect (and close their server, see src/worker.ts); the others are
  // still starting and get SIGTERM.
  function stop(reason: string, code: number): void {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    log(`${reason}: stopping ${alive.size} workers`);
    void stopWorkers(alive, { isListening: (worker) => ports.has(worker) }).then(() => process.exit(exitCode));
  }
  function fail(line: string): void {
    if (stopping) return;
    process.stderr.write(`${line}\n`);
    stop('cannot listen', 1);
  }

  cluster.on('exit', (worker, code, signal) => {
    alive.delete(worker);
    log(`worker ${worker.id} (pid ${worker.process.pid}) exited (${signal ?? `code ${code}`})`);
    if (!stopping) stop('a worker exited', 1);
  });

  process.on('SIGINT', () => stop('SIGINT', 0));
  process.on('SIGTERM', () => stop('SIGTERM', 0));
}
