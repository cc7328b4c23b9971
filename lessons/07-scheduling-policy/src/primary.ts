// The primary of lesson 07: fork, print the ready line once every worker
// listens, and stop on SIGINT/SIGTERM with lesson 01's stop (from shared/).
// Nothing else: no respawn (that is lesson 02's), so the output is about
// scheduling. The policy itself is set in src/main.ts, before the first fork.
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
  log(`Primary ${process.pid} is running`);
  holdLifeline();
  await exitIfPortInUse(config.host, [config.port]); // before forking (shared/)
  const alive = new Set<Worker>();
  const listening = new Set<Worker>();
  for (let i = 0; i < config.workers; i++) alive.add(cluster.fork());

  cluster.on('listening', (worker, address) => {
    listening.add(worker);
    if (listening.size === config.workers) {
      announceReady(urlOf('http', config.host, address.port), `${config.workers} workers, policy ${config.policy}`);
    }
  });

  let stopping = false;
  const stop = (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    log(`${reason}: stopping ${alive.size} workers`);
    void stopWorkers(alive, { isListening: (worker) => listening.has(worker) }).then(() => process.exit(code));
  };

  cluster.on('exit', (worker, code, signal) => {
    alive.delete(worker);
    listening.delete(worker);
    if (stopping) return;
    // As in lesson 01: the others keep serving; with none left, stop.
    log(`worker ${worker.id} (pid ${worker.process.pid}) exited (${signal ?? `code ${code}`}); not replaced`);
    if (alive.size === 0) stop('no workers left', 1);
  });

  cluster.on('message', (_worker, message) => {
    if (!isListenFailed(message) || stopping) return;
    process.stderr.write(`${message.message}\n`);
    stop('cannot listen', 1);
  });
  process.on('SIGINT', () => stop('SIGINT', 0));
  process.on('SIGTERM', () => stop('SIGTERM', 0));
}
