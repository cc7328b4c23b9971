// The primary of lesson 07: fork, print the ready line once every worker
// listens, and stop on SIGINT/SIGTERM with lesson 01's stop (shared/src/runtime/cluster-stop.ts).
// Nothing else: no respawn (that is lesson 02's), so the output is about
// scheduling. The policy itself is set in src/main.ts, before the first fork.
import cluster, { type Worker } from 'node:cluster';
import { announceReady, handleClusterStop, primaryLogger, startPrimary, urlOf } from '@cluster-course/shared';
import { config } from './config.ts';

const log = primaryLogger();

export async function runPrimary(): Promise<void> {
  await startPrimary({ log, host: config.host, ports: [config.port] }); // shared/: a taken port exits 1 here
  const alive = new Set<Worker>();
  const listening = new Set<Worker>();
  const shutdown = handleClusterStop({ log, workers: () => alive, isListening: (worker) => listening.has(worker) });
  for (let i = 0; i < config.workers; i++) alive.add(cluster.fork());

  cluster.on('listening', (worker, address) => {
    listening.add(worker);
    if (listening.size === config.workers) {
      announceReady(urlOf('http', config.host, address.port), `${config.workers} workers, policy ${config.policy}`);
    }
  });

  cluster.on('exit', (worker, code, signal) => {
    alive.delete(worker);
    listening.delete(worker);
    if (shutdown.stopping) return;
    // As in lesson 01: the others keep serving; with none left, stop.
    log(`worker ${worker.id} (pid ${worker.process.pid}) exited (${signal ?? `code ${code}`}); not replaced`);
    if (alive.size === 0) shutdown.stop('no workers left', 1);
  });
}
