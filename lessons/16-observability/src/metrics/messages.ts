// The lesson's own IPC messages. prom-client's AggregatorRegistry has a pair
// of its own (clusterMetrics()), but it waits 5 s for every worker and then
// fails the whole scrape; this pair lets the primary set the deadline and
// report who did not answer (src/metrics/gather.ts says why).
import type { Registry } from 'prom-client';

/** One registry's metrics as getMetricsAsJSON() gives them. */
export type MetricsJson = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

/** Primary → worker: send me your metrics, quoting this id. */
export interface GatherRequest {
  type: 'metrics:gather';
  id: number;
}

/** Worker → primary: my two registries, as getMetricsAsJSON() gives them. */
export interface GatherAnswer {
  type: 'metrics:answer';
  id: number;
  /** Per request (counters, histogram): safe to sum across workers. */
  requests: MetricsJson;
  /** Per process (heap, event-loop delay, RSS), labelled with worker and pid: never summed. */
  process: MetricsJson;
}

/** Worker → primary: my HTTP server drained; disconnect me (the rolling restart). */
export const DRAINED = { type: 'drained' } as const;
/** Primary → worker: stop accepting, finish what you have, then say DRAINED. */
export const STOP = { type: 'stop' } as const;

export function isType<T extends { type: string }>(message: unknown, type: T['type']): message is T {
  return (message as { type?: unknown } | null | undefined)?.type === type;
}
