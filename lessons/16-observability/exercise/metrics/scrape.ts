// EXERCISE (lesson 16): one scrape of the whole cluster, in the primary.
// This is src/metrics/scrape.ts with its three steps taken out, marked TODO.
// Check your work with `pnpm exercise 16`; stuck? `pnpm exercise 16 --hint`.
// Until you write them, the primary's /metrics says only that no worker
// answered (cluster_worker_up 0) and counts no request at all.
//
// What you have (the files you do not edit stay in src/):
//   gather(workers, timeoutMs)      one IPC round trip to every worker, with a
//                                   deadline; resolves with the answers that came
//   ledger.record(id, requests)     a worker's counts as of its answer
//   ledger.totals()                 every worker's last counts, and the gone ones'
//   answer.process                  a worker's per-process metrics (worker, pid labels)
//   ownMetrics(gathered)            the primary's own: restarts, who answered
//   AggregatorRegistry.aggregate([...])   prom-client: merge getMetricsAsJSON() outputs
import type { Worker } from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import { type Gathered, gather } from '../../src/metrics/gather.ts';
import type { CounterLedger } from '../../src/metrics/ledger.ts';
import { ownMetrics } from '../../src/metrics/own.ts';

export interface Scrape {
  text: string;
  contentType: string;
  gathered: Gathered;
}

export async function scrapeCluster(
  workers: Iterable<Worker>,
  ledger: CounterLedger,
  timeoutMs: number,
): Promise<Scrape> {
  // TODO 1: ask every worker for its metrics, waiting at most timeoutMs.
  const gathered: Gathered = { asked: [...workers], answers: new Map(), seconds: 0 };
  void [gather, timeoutMs];

  // TODO 2: record each answer's per-request counts in the ledger, under its worker's id.
  void ledger;

  // TODO 3: aggregate, in one call: the ledger's totals, each answer's
  // per-process metrics, and the primary's own metrics (ownMetrics).
  const registry = AggregatorRegistry.aggregate([await ownMetrics(gathered)]);

  return { text: await registry.metrics(), contentType: registry.contentType, gathered };
}
