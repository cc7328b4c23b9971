// A worker: an HTTP server with four things to ask of a process in a container.
//   GET /          who answered
//   GET /inside    what this process sees: CPUs, memory limit, its cgroup's quota
//   GET /work?ms=N burn N ms of CPU time (measured with process.cpuUsage, so the
//                  work is the same however much the quota stretches it) and say
//                  how long it took on the clock: throttling, seen from inside
//   GET /grow?mb=N keep N MiB more, touched page by page: past MEMORY, the
//                  kernel's OOM killer ends this worker (the request gets no answer)
//   GET /orphan    leave a process behind for PID 1 to adopt (src/pid1.ts)
import { execFile } from 'node:child_process';
import cluster from 'node:cluster';
import http from 'node:http';
import { availableParallelism, cpus } from 'node:os';
import { promisify } from 'node:util';
import { ignoreTerminalCtrlC, listenOrReport, readHostPort, workerLogger } from '@cluster-course/shared';
import { cgroupOf } from '../cgroup/hierarchy.ts';
import { DEFAULT_PORT } from '../config.ts';
import { readCpuQuota } from '../cpu-quota.ts';

const held: Buffer[] = []; // what /grow keeps: never freed while the worker lives

function burn(ms: number): { cpuMs: number; wallMs: number } {
  const start = performance.now();
  const cpu = process.cpuUsage();
  let used = 0;
  while (used < ms * 1000) {
    const spent = process.cpuUsage(cpu);
    used = spent.user + spent.system;
  }
  return { cpuMs: Math.round(used / 1000), wallMs: Math.round(performance.now() - start) };
}

async function orphan(): Promise<number> {
  // sh starts sleep in the background and exits at once: the sleep is an
  // orphan, adopted by PID 1 (the namespace's, under PID1=1).
  const { stdout } = await promisify(execFile)('/bin/sh', ['-c', 'sleep 600 </dev/null >/dev/null 2>&1 & echo $!']);
  return Number(stdout.trim());
}

async function answer(url: URL): Promise<[number, unknown]> {
  const count = (name: string, max: number) => {
    const value = Number(url.searchParams.get(name) ?? '');
    return Number.isInteger(value) && value >= 1 && value <= max ? value : undefined;
  };
  switch (url.pathname) {
    case '/inside':
      return [
        200,
        {
          availableParallelism: availableParallelism(),
          cpus: cpus().length,
          constrainedMemory: process.constrainedMemory(),
          quota: readCpuQuota(cgroupOf('cpu')),
        },
      ];
    case '/work': {
      const ms = count('ms', 10_000);
      return ms ? [200, burn(ms)] : [400, 'ms: an integer from 1 to 10000'];
    }
    case '/grow': {
      const mb = count('mb', 65_536);
      if (!mb) return [400, 'mb: an integer from 1 to 65536'];
      for (let i = 0; i < mb; i++) held.push(Buffer.alloc(2 ** 20, 1)); // filled: every page is really used
      return [200, { heldMb: held.length, rssMb: Math.round(process.memoryUsage.rss() / 2 ** 20) }];
    }
    case '/orphan':
      return [200, { orphan: await orphan() }];
    default:
      return [404, 'not found'];
  }
}

export function runWorker(): void {
  const { host, port } = readHostPort(DEFAULT_PORT);
  const id = cluster.worker?.id ?? 0;
  workerLogger(id)(`Worker ${process.pid} started`);
  const server = http.createServer(async (req, res) => {
    res.setHeader('x-worker-id', id);
    res.setHeader('x-worker-pid', process.pid);
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/' && req.method === 'GET') {
      res.setHeader('content-type', 'text/plain; charset=utf-8');
      res.end(`Hello from worker ${id} (pid ${process.pid})\n`);
      return;
    }
    const [status, body] =
      req.method === 'GET' ? await answer(url).catch(() => [500, 'failed'] as const) : [405, 'GET only'];
    res.statusCode = status;
    res.setHeader('content-type', typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json');
    res.end(typeof body === 'string' ? `${body}\n` : `${JSON.stringify(body)}\n`);
  });
  listenOrReport(server, { host, port });
  ignoreTerminalCtrlC(); // the primary leads the stop
}
