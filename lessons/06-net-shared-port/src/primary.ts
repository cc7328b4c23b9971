// The primary: forks the workers, says which scheduling policy is in force,
// and once all listen, shows who holds the listening socket.
import cluster, { type Worker } from 'node:cluster';
import { announceReady, handleClusterStop, primaryLogger, startPrimary, urlOf } from '@cluster-course/shared';
import { config } from './config.ts';
import { describeOwners } from './owners.ts';

const log = primaryLogger();

export async function runPrimary(): Promise<void> {
  await startPrimary({ log, host: config.host, ports: [config.port] }); // shared/: a taken port exits 1 here
  // cluster.schedulingPolicy was set from NODE_CLUSTER_SCHED_POLICY when
  // node:cluster loaded: SCHED_RR (2) or SCHED_NONE (1).
  const policy = cluster.schedulingPolicy === cluster.SCHED_RR ? 'rr' : 'none';
  log(
    policy === 'rr'
      ? 'scheduling policy: rr (the primary accepts every connection and hands it to a worker)'
      : 'scheduling policy: none (the workers accept connections from a shared socket themselves)',
  );

  const alive = new Set<Worker>();
  const listening = new Set<Worker>();
  // Lesson 01's stop, wired once (shared/src/runtime/cluster-stop.ts), with this
  // lesson's graceful step: a listening worker gets 'shutdown' (it says bye
  // to its clients first, see src/worker.ts). A worker still starting gets
  // SIGTERM: its message handler may not exist yet, and a message sent now
  // would be lost.
  const shutdown = handleClusterStop({
    log,
    workers: () => alive,
    isListening: (worker) => listening.has(worker),
    graceful: (worker) => worker.send('shutdown'),
  });
  const names = new Map<number, string>([[process.pid, 'primary']]);
  for (let i = 0; i < config.workers; i++) {
    const worker = cluster.fork();
    alive.add(worker);
    names.set(worker.process.pid ?? 0, `worker ${worker.id}`);
  }

  cluster.on('listening', (worker, address) => {
    log(`worker ${worker.id} (pid ${worker.process.pid}) listening on ${urlOf('tcp', config.host, address.port)}`);
    listening.add(worker);
    if (listening.size === config.workers) {
      log(describeOwners(address.port, names));
      announceReady(urlOf('tcp', config.host, address.port), `${config.workers} workers, policy ${policy}`);
    }
  });

  cluster.on('exit', (worker, code, signal) => {
    alive.delete(worker);
    log(`worker ${worker.id} (pid ${worker.process.pid}) exited (${signal ?? `code ${code}`})`);
    listening.delete(worker);
    if (!shutdown.stopping) shutdown.stop('a worker exited', 1);
  });
}
