// One instance: what one machine would run. A cluster primary (lesson 01)
// with WORKERS workers on the instance's own port, a "serving on" line once
// they all listen, and the shared graceful stop: SIGTERM drains every worker
// (each runs `runApp`, which drains on STOP) and exits 0. Lesson 14 runs its
// own app in the same instance, on purpose.
import cluster, { type Worker } from 'node:cluster';
import {
  handleClusterStop,
  intEnv,
  primaryLogger,
  readServerEnv,
  type ServerEnv,
  startPrimary,
  urlOf,
} from '@cluster-course/shared';
import { STOP } from './messages.ts';

/** What a worker runs: a server on `env`'s port that says which instance it is, and drains on STOP. */
export type RunApp = (instance: number, env: ServerEnv) => void;

export async function runInstance(runApp: RunApp): Promise<void> {
  const instance = intEnv('INSTANCE', 1, 1, 8);
  const env = readServerEnv(0);
  if (cluster.isWorker) return runApp(instance, env);

  const log = primaryLogger();
  await startPrimary({ log, host: env.host, ports: [env.port], about: `instance ${instance}` });
  const listening = new Set<Worker>();
  const fork = () => cluster.fork();
  const clusterStop = handleClusterStop({
    log,
    workers: () => Object.values(cluster.workers ?? {}).filter((w) => w !== undefined),
    isListening: (worker) => listening.has(worker),
    graceful: (worker) => worker.send(STOP),
  });
  let ready = false;
  cluster.on('listening', (worker, address) => {
    listening.add(worker);
    if (!ready && listening.size === env.workers) {
      ready = true;
      // Not the course's "ready:" line: that one is the lesson's, for nginx's port.
      log(`serving on ${urlOf('http', env.host, address.port)} (instance ${instance}, ${env.workers} workers)`);
    }
  });
  cluster.on('exit', (worker, code, signal) => {
    const served = listening.delete(worker);
    log(`worker ${worker.id} (pid ${worker.process.pid}) exited (${signal ?? `code ${code}`})`);
    // A worker that crashed after serving is replaced (lesson 02 does it
    // with backoff); one that never served is not, so no crash loop.
    if (served && !clusterStop.stopping && !worker.exitedAfterDisconnect) fork();
  });
  for (let i = 0; i < env.workers; i++) fork();
}
