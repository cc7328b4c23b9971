// Measuring the spread: open `connections` fresh connections, `concurrency`
// at a time, one request each, and count which worker answered each.
import { freshMany } from '@cluster-course/shared/harness/http';

export interface Spread {
  /** Connections per worker id, in id order. */
  perWorker: [id: number, count: number][];
  /** Busiest worker's count over the idlest's (Infinity if one got none). */
  maxOverMin: number;
  /** Share of all connections taken by the two busiest workers. */
  topTwoShare: number;
}

export async function measureSpread(url: string, connections: number, concurrency: number, workers: number) {
  const counts = new Map<number, number>();
  for (const reply of await freshMany(url, connections, concurrency)) {
    if (reply.status !== 200) throw new Error(`${url} answered ${reply.status}`);
    counts.set(reply.workerId, (counts.get(reply.workerId) ?? 0) + 1);
  }
  return summarize(counts, workers, connections);
}

export function summarize(counts: Map<number, number>, workers: number, total: number): Spread {
  const perWorker = [...counts].sort(([a], [b]) => a - b);
  const values = [...counts.values()];
  // A worker that got nothing does not appear in counts at all.
  const min = values.length < workers ? 0 : Math.min(...values);
  const max = Math.max(...values);
  const [first = 0, second = 0] = values.sort((a, b) => b - a);
  return {
    perWorker,
    maxOverMin: min === 0 ? Number.POSITIVE_INFINITY : max / min,
    topTwoShare: (first + second) / total,
  };
}

/** A terminal bar chart: one bar per worker. */
export function histogram(spread: Spread, width = 40): string[] {
  const max = Math.max(...spread.perWorker.map(([, n]) => n));
  return spread.perWorker.map(
    ([id, n]) => `  worker ${String(id).padStart(2)}  ${'█'.repeat(Math.round((n / max) * width)).padEnd(width)}  ${n}`,
  );
}
