// Asking the real Prometheus, through its HTTP API (/api/v1/query), what it
// has scraped: the tests of lesson 16 read the cluster through it.
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';

export interface Sample {
  metric: Record<string, string>;
  /** [unix seconds, value as text] */
  value: [number, string];
}

/** An instant query: the vector Prometheus answers. */
export async function promQuery(base: string, query: string, time?: number): Promise<Sample[]> {
  const url = new URL('/api/v1/query', base);
  url.searchParams.set('query', query);
  if (time !== undefined) url.searchParams.set('time', String(time));
  const res = await request(url, { headersTimeout: 5_000, bodyTimeout: 5_000 });
  const body = (await res.body.json()) as { status: string; error?: string; data?: { result: Sample[] } };
  if (body.status !== 'success') throw new Error(`prometheus: ${body.error ?? `status ${res.statusCode}`}`);
  return body.data?.result ?? [];
}

/**
 * Resolves with Prometheus' time of the first scrape of `job` that began
 * after `since` (unix seconds): from then on, a query sees what the target
 * said at that scrape. Waits on Prometheus' own `up` sample times, which
 * move once a scrape interval; rejects after `timeoutMs`.
 */
export async function scrapedAfter(base: string, since: number, timeoutMs = 10_000, job = 'cluster'): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    // timestamp(up) is when the last scrape started.
    const [sample] = await promQuery(base, `timestamp(up{job="${job}"})`);
    const at = Number(sample?.value[1] ?? 0);
    if (at > since) return at;
    await sleep(200);
  }
  throw new Error(`prometheus did not scrape job ${job} within ${timeoutMs} ms`);
}
