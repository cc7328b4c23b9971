// What the live page draws for each worker, from the answers of the last
// few gathers: requests/s and p99 latency over a 5 s window (differences of
// the counter and the histogram's buckets, as Prometheus' rate() and
// histogram_quantile() do), event-loop delay, RSS and heap as the worker
// reported them.
import type { MetricsJson } from '../metrics/messages.ts';
import type { Member } from './roster.ts';

export const WINDOW_MS = 5_000;

interface Sample {
  at: number;
  count: number;
  /** Cumulative bucket counts of the latency histogram, by upper bound. */
  buckets: Map<number, number>;
}

export interface Row {
  id: number;
  pid: number;
  state: string;
  why: string;
  exit?: string;
  /** Did it answer the last gather? null: it was not asked (forked after the gather began). */
  answered: boolean | null;
  rps: number | null;
  p99Ms: number | null;
  loopP99Ms: number | null;
  rssMb: number | null;
  heapMb: number | null;
}

function values(json: MetricsJson, name: string) {
  return json.find((metric) => metric.name === name)?.values ?? [];
}

function sampleOf(requests: MetricsJson, at: number): Sample {
  const count = values(requests, 'http_requests_total').reduce((sum, v) => sum + v.value, 0);
  const buckets = new Map<number, number>();
  for (const v of values(requests, 'http_request_duration_seconds')) {
    const le = (v.labels as { le?: string | number }).le;
    if ((v as { metricName?: string }).metricName !== 'http_request_duration_seconds_bucket' || le === undefined)
      continue;
    const bound = le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le);
    buckets.set(bound, (buckets.get(bound) ?? 0) + v.value);
  }
  return { at, count, buckets };
}

/** The smallest bucket bound under which 99% of the window's requests finished. */
function p99(from: Sample, to: Sample): number | null {
  const total = to.count - from.count;
  if (total <= 0) return null;
  for (const [bound, cumulative] of [...to.buckets].sort(([a], [b]) => a - b)) {
    if (cumulative - (from.buckets.get(bound) ?? 0) >= 0.99 * total) return bound;
  }
  return null;
}

const gauge = (json: MetricsJson, name: string) => values(json, name)[0]?.value ?? null;

export class LiveRows {
  private readonly history = new Map<number, Sample[]>();

  /** A worker's answer at `at` (ms). */
  record(id: number, requests: MetricsJson, at: number): void {
    const samples = this.history.get(id) ?? [];
    samples.push(sampleOf(requests, at));
    while (samples.length > 2 && (samples[1]?.at ?? at) <= at - WINDOW_MS) samples.shift();
    this.history.set(id, samples);
  }

  row(member: Member, perProcess: MetricsJson | undefined, asked: boolean): Row {
    const samples = this.history.get(member.id) ?? [];
    const [first, last] = [samples[0], samples.at(-1)];
    const span = first && last ? (last.at - first.at) / 1000 : 0;
    const ms = (seconds: number | null) => (seconds === null ? null : seconds * 1000);
    const mb = (bytes: number | null) => (bytes === null ? null : bytes / 2 ** 20);
    if (member.state === 'exited') this.history.delete(member.id);
    return {
      id: member.id,
      pid: member.pid,
      state: member.state,
      why: member.why,
      exit: member.exit,
      answered: asked ? perProcess !== undefined : null,
      rps: first && last && span > 0 ? (last.count - first.count) / span : null,
      p99Ms: first && last ? ms(p99(first, last)) : null,
      loopP99Ms: perProcess ? ms(gauge(perProcess, 'nodejs_eventloop_lag_p99_seconds')) : null,
      rssMb: perProcess ? mb(gauge(perProcess, 'process_resident_memory_bytes')) : null,
      heapMb: perProcess ? mb(gauge(perProcess, 'nodejs_heap_size_used_bytes')) : null,
    };
  }
}
