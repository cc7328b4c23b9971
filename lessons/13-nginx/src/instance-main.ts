// One instance: what one machine would run. A cluster primary (lesson 01)
// with WORKERS workers on the instance's own port, a "serving on" line once
// they all listen, and the shared graceful stop: SIGTERM drains every worker (src/app.ts)
// and exits 0. The lesson (src/main.ts) starts INSTANCES of these, each with
// INSTANCE=n and PORT=<its port>, and puts nginx in front of them.
import cluster, { type Worker } from 'node:cluster';
import { handleClusterStop, intEnv, primaryLogger, readServerEnv, startPrimary, urlOf } from '@cluster-course/shared';
import { runApp } from './app.ts';
import { STOP } from './messages.ts';

const instance = intEnv('INSTANCE', 1, 1, 8);
const env = readServerEnv(0);

if (cluster.isWorker) {
  runApp(instance, env);
} else {
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
