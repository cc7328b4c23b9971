// A worker: lesson 08's graceful worker (its drain, imported on purpose)
// that counts what it does. Every answer is counted in its own registry
// (src/metrics/worker-metrics.ts); the primary asks for them over IPC
// (src/metrics/answer.ts). With METRICS=worker it also serves /metrics
// itself: the break this lesson starts from.
import cluster from 'node:cluster';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { drainable } from '@cluster-course/08-graceful-restart/drain';
import { ignoreTerminalCtrlC, listenOrReport, workerLogger } from '@cluster-course/shared';
import { Registry } from 'prom-client';
import { config } from './config.ts';
import { answerGathers } from './metrics/answer.ts';
import { DRAINED, isType, STOP } from './metrics/messages.ts';
import { routeLabel, workerMetrics } from './metrics/worker-metrics.ts';

/** GET /work?ms=N keeps the CPU busy for N ms, at most this long. */
const MAX_WORK_MS = 10_000;

export function runWorker(): void {
  const id = cluster.worker?.id ?? 0;
  const log = workerLogger(id);
  log(`Worker ${process.pid} started`);
  const metrics = workerMetrics(id, process.pid);
  answerGathers(metrics);

  const server = http.createServer(async (req, res) => {
    const started = performance.now();
    const { pathname, searchParams } = new URL(req.url ?? '/', 'http://localhost');
    const reply = (status: number, body: string, type = 'text/plain; charset=utf-8') => {
      res.setHeader('x-worker-id', id);
      res.setHeader('x-worker-pid', process.pid);
      if (drainer.draining) res.setHeader('connection', 'close');
      res.writeHead(status, { 'content-type': type }).end(body);
      metrics.observe(routeLabel(pathname), status, (performance.now() - started) / 1000);
    };
    if (req.method !== 'GET') return reply(405, 'method not allowed: use GET\n');
    if (pathname === '/hello') return reply(200, `Hello from worker ${id} (pid ${process.pid})\n`);
    if (pathname === '/work') {
      const raw = searchParams.get('ms') ?? '50';
      if (!/^\d{1,5}$/.test(raw) || Number(raw) > MAX_WORK_MS) {
        return reply(400, `ms must be an integer from 0 to ${MAX_WORK_MS}\n`);
      }
      const until = performance.now() + Number(raw);
      while (performance.now() < until); // CPU work: this worker's event loop is blocked meanwhile
      return reply(200, `worker ${id} (pid ${process.pid}) worked ${raw} ms\n`);
    }
    if (pathname === '/metrics' && config.metrics === 'worker') {
      // Only this worker's numbers: whichever worker the connection reached.
      const registry = Registry.merge([metrics.requests, metrics.perProcess]);
      return reply(200, await registry.metrics(), registry.contentType);
    }
    return reply(404, 'not found\n');
  });
  const drainer = drainable(server);
  listenOrReport(server, { host: config.host, port: config.port });

  process.on('message', (message: unknown) => {
    if (!isType(message, STOP.type) || drainer.draining) return;
    log('asked to stop: draining');
    drainer.drain(() => process.connected && process.send?.(DRAINED));
  });
  ignoreTerminalCtrlC(); // the primary leads the stop
}
