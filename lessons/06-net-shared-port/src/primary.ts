// The primary: forks the workers, says which scheduling policy is in force,
// and once all listen, shows who holds the listening socket.
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
import { describeOwners } from './owners.ts';

const log = primaryLogger();

export async function runPrimary(): Promise<void> {
  log(`Primary ${process.pid} is running`);
  holdLifeline();
  await exitIfPortInUse(config.host, [config.port]); // before forking (shared/)
  // cluster.schedulingPolicy was set from NODE_CLUSTER_SCHED_POLICY when
  // node:cluster loaded: SCHED_RR (2) or SCHED_NONE (1).
  const policy = cluster.schedulingPolicy === cluster.SCHED_RR ? 'rr' : 'none';
  log(
    policy === 'rr'
      ? 'scheduling policy: rr (the primary accepts every connection and hands it to a worker)'
      : 'scheduling policy: none (the workers accept connections from a shared socket themselves)',
  );

  const alive = new Set<Worker>();
  const names = new Map<number, string>([[process.pid, 'primary']]);
  for (let i = 0; i < config.workers; i++) {
    const worker = cluster.fork();
    alive.add(worker);
    names.set(worker.process.pid ?? 0, `worker ${worker.id}`);
  }

  const listening = new Set<Worker>();
  cluster.on('listening', (worker, address) => {
    log(`worker ${worker.id} (pid ${worker.process.pid}) listening on ${urlOf('tcp', config.host, address.port)}`);
    listening.add(worker);
    if (listening.size === config.workers) {
      log(describeOwners(address.port, names));
      announceReady(urlOf('tcp', config.host, address.port), `${config.workers} workers, policy ${policy}`);
    }
  });

  let stopping = false;
  let exitCode = 0;
  // Lesson 01's stop, from shared/, with this lesson's graceful step: a
  // listening worker gets 'shutdown' (it says bye to its clients first, see
  // src/worker.ts). A worker still starting gets SIGTERM: its message
  // handler may not exist yet, and a message sent now would be lost.
  function stopAll(reason: string, code: number): void {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    log(`${reason}: stopping ${alive.size} workers`);
    void stopWorkers(alive, {
      isListening: (worker) => listening.has(worker),
      graceful: (worker) => worker.send('shutdown'),
    }).then(() => process.exit(exitCode));
  }

  cluster.on('exit', (worker, code, signal) => {
    alive.delete(worker);
    log(`worker ${worker.id} (pid ${worker.process.pid}) exited (${signal ?? `code ${code}`})`);
    listening.delete(worker);
    if (!stopping) stopAll('a worker exited', 1);
  });

  cluster.on('message', (_worker, message) => {
    if (!isListenFailed(message) || stopping) return;
    process.stderr.write(`${message.message}\n`);
    stopAll('cannot listen', 1);
  });

  process.on('SIGINT', () => stopAll('SIGINT', 0));
  process.on('SIGTERM', () => stopAll('SIGTERM', 0));
}
