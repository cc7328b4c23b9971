// The app's primary. Three things differ from the lessons before, because it
// runs in a container:
//   - WORKERS=auto sizes the cluster from the CPU quota it finds in its own
//     cgroup (src/cpu-quota.ts), not from os.availableParallelism();
//   - a worker that dies is replaced (lesson 02, written short), and a SIGKILL
//     is checked against the cgroup's OOM count (./oom.ts): the kernel's OOM
//     killer looks like any `kill -9` otherwise;
//   - HANDLER=0 takes the SIGTERM and SIGINT handlers away, as in an app that
//     never wrote one: as PID 1 (PID1=1) it then ignores `docker stop`.
import cluster, { type Worker } from 'node:cluster';
import { availableParallelism, cpus } from 'node:os';
import {
  announceReady,
  flagEnv,
  handleClusterStop,
  primaryLogger,
  readHostPort,
  startPrimary,
  urlOf,
} from '@cluster-course/shared';
import { cgroupOf } from '../cgroup/hierarchy.ts';
import { DEFAULT_PORT, readWorkers } from '../config.ts';
import { autoWorkers, readCpuQuota } from '../cpu-quota.ts';
import { oomKills } from './oom.ts';

const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;

export async function runPrimary(): Promise<void> {
  const { host, port } = readHostPort(DEFAULT_PORT);
  const asked = readWorkers();
  const handler = flagEnv('HANDLER', true);
  const log = primaryLogger();
  await startPrimary({ log, host, ports: [port] }); // a taken port exits 1 here
  const limit = process.constrainedMemory();
  log(
    `inside: os.availableParallelism() ${availableParallelism()}, os.cpus().length ${cpus().length}, ` +
      `process.constrainedMemory() ${limit > 0 && limit < 2 ** 60 ? mib(limit) : 'none'}`,
  );
  const sized = asked === 'auto' ? autoWorkers(readCpuQuota(cgroupOf('cpu')), availableParallelism()) : undefined;
  const workers = sized?.workers ?? (asked as number);
  if (sized) log(`WORKERS=auto: ${sized.why} -> ${workers}`);

  const alive = new Set<Worker>();
  const listening = new Set<Worker>();
  const ever = new Set<number>(); // ids of workers that listened once
  let ready = false;
  const shutdown = handleClusterStop({ log, workers: () => alive, isListening: (w) => listening.has(w) });
  if (!handler) {
    process.removeAllListeners('SIGTERM');
    process.removeAllListeners('SIGINT');
    log('HANDLER=0: no SIGTERM or SIGINT handler (their default action: end the process)');
  }
  let oomSeen = oomKills()?.count ?? 0;
  for (let i = 0; i < workers; i++) alive.add(cluster.fork());

  cluster.on('listening', (worker, address) => {
    listening.add(worker);
    ever.add(worker.id);
    if (!ready && listening.size === workers) {
      ready = true;
      const how = sized ? `WORKERS=auto: ${sized.why}` : `WORKERS=${workers}`;
      announceReady(urlOf('http', host, address.port), `${workers} worker${workers === 1 ? '' : 's'}; ${how}`);
    }
  });

  cluster.on('exit', (worker, code, signal) => {
    alive.delete(worker);
    listening.delete(worker);
    if (shutdown.stopping) return;
    if (!ever.has(worker.id)) {
      // It never listened: forking again would fail the same way (lesson 02's crash loop).
      shutdown.stop(
        `worker ${worker.id} (pid ${worker.process.pid}) exited (${signal ?? `code ${code}`}) before it listened`,
        1,
      );
      return;
    }
    const oom = oomKills();
    const byOom = signal === 'SIGKILL' && oom !== undefined && oom.count > oomSeen;
    oomSeen = oom?.count ?? oomSeen;
    const why = byOom ? `: the kernel's OOM killer (oom_kill ${oom?.count} in ${oom?.file})` : '';
    const next = cluster.fork();
    alive.add(next);
    log(
      `worker ${worker.id} (pid ${worker.process.pid}) exited (${signal ?? `code ${code}`})${why}; ` +
        `replaced by worker ${next.id} (pid ${next.process.pid})`,
    );
  });
}
