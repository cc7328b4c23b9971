// The worker's side of the gather: answer the primary's request with both
// registries as JSON (the form AggregatorRegistry.aggregate() takes). The
// answer is sent from the event loop, so a worker whose loop is blocked
// answers late or not at all: the primary's deadline is what keeps a scrape
// from hanging on it (src/metrics/gather.ts).
import { type GatherAnswer, type GatherRequest, isType } from './messages.ts';
import type { WorkerMetrics } from './worker-metrics.ts';

export function answerGathers(metrics: WorkerMetrics): void {
  process.on('message', async (message: unknown) => {
    if (!isType<GatherRequest>(message, 'metrics:gather')) return;
    const [requests, perProcess] = await Promise.all([
      metrics.requests.getMetricsAsJSON(),
      metrics.perProcess.getMetricsAsJSON(),
    ]);
    const answer: GatherAnswer = { type: 'metrics:answer', id: message.id, requests, process: perProcess };
    // Leaving already (the channel closed): nobody to answer.
    if (process.connected) process.send?.(answer, () => {});
  });
}
