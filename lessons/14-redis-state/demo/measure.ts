// What the demo measures: the cost of a round trip to Redis, per request.
// Sequential requests on one keep-alive connection to one instance (around
// nginx), so the numbers are the app's and Redis's, not the load balancer's
// or a queue's. One run on one machine: a shape, not a benchmark.
import { keepAlive } from '@cluster-course/shared/harness/http';

export interface Latency {
  p50: number;
  p99: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;

/** `count` POST /visits (after 50 to warm up), one at a time: p50 and p99 in ms. */
export async function visitLatency(origin: string | URL, count: number): Promise<Latency> {
  const client = keepAlive(origin);
  try {
    const times: number[] = [];
    for (let i = 0; i < count + 50; i++) {
      const started = performance.now();
      const reply = await client.request('/visits', { method: 'POST' });
      if (reply.status !== 200) throw new Error(`POST /visits answered ${reply.status}`);
      if (i >= 50) times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    return { p50: percentile(times, 0.5), p99: percentile(times, 0.99) };
  } finally {
    await client.close();
  }
}
