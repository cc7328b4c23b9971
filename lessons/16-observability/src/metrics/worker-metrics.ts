// Each worker's metrics, in two registries, because they add up differently:
// - `requests`: what the worker did (a counter, a latency histogram). Every
//   request is served by exactly one worker, so the cluster's number is the
//   sum of the workers': these carry no worker label.
// - `perProcess`: what the worker is (heap, RSS, event-loop delay, CPU):
//   prom-client's default metrics. A sum of heaps is a number no process has,
//   and an average hides the one worker whose event loop is stuck, so every
//   value carries `worker` and `pid` labels and stays a series of its own.
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** The routes we label by: a fixed list, never the raw URL (one series per URL would never end). */
export const ROUTES = ['/hello', '/work', '/metrics'] as const;
export const routeLabel = (pathname: string) => ((ROUTES as readonly string[]).includes(pathname) ? pathname : 'other');

export function workerMetrics(workerId: number, pid: number) {
  const requests = new Registry();
  const total = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by route and status',
    labelNames: ['route', 'status'],
    registers: [requests],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from the request to the end of the answer, by route',
    labelNames: ['route'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [requests],
  });

  const perProcess = new Registry();
  perProcess.setDefaultLabels({ worker: String(workerId), pid: String(pid) });
  collectDefaultMetrics({ register: perProcess });

  return {
    requests,
    perProcess,
    /** Count one answered request. */
    observe(route: string, status: number, seconds: number): void {
      total.inc({ route, status: String(status) });
      duration.observe({ route }, seconds);
    },
  };
}
export type WorkerMetrics = ReturnType<typeof workerMetrics>;
