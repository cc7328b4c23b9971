// The primary's own metrics: what only the primary knows. A worker cannot
// count its own restarts (the new one starts from zero) or say that it did
// not answer; the primary can.
import { Counter, Gauge, Registry } from 'prom-client';
import type { Gathered } from './gather.ts';
import type { MetricsJson } from './messages.ts';

/** Lives as long as the primary: counters here never reset with a worker. */
export const primaryRegistry = new Registry();
export const restarts = new Counter({
  name: 'cluster_worker_restarts_total',
  help: 'Workers forked to replace one that exited (a crash or a rolling restart)',
  labelNames: ['reason'],
  registers: [primaryRegistry],
});
// Both series exist from the start, at 0: rate() needs a first sample.
for (const reason of ['exit', 'rolling restart']) restarts.inc({ reason }, 0);

/**
 * Made fresh for every scrape, so a worker that is gone disappears from it
 * instead of staying as a stale series: who answered this scrape, and how
 * long the round trip took.
 */
export async function ownMetrics({ asked, answers, seconds }: Gathered): Promise<MetricsJson> {
  const scrape = new Registry();
  const up = new Gauge({
    name: 'cluster_worker_up',
    help: '1 if the worker answered this scrape before the deadline, 0 if not',
    labelNames: ['worker', 'pid'],
    registers: [scrape],
  });
  for (const worker of asked) {
    up.set({ worker: String(worker.id), pid: String(worker.process.pid) }, answers.has(worker) ? 1 : 0);
  }
  new Gauge({
    name: 'cluster_gather_seconds',
    help: "How long this scrape's round trip to the workers took",
    registers: [scrape],
  }).set(seconds);
  return Registry.merge([primaryRegistry, scrape]).getMetricsAsJSON();
}
