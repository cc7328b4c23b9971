// One scrape of the whole cluster: the heart of this lesson.
//   1. gather: ask every worker for its metrics over IPC, with a deadline;
//   2. record each answer's counts in the ledger (src/metrics/ledger.ts);
//   3. aggregate with prom-client's AggregatorRegistry.aggregate(): metrics
//      of the same name are merged, values with the same labels are summed
//      (each metric's `aggregator`: prom-client's default metrics say
//      'average', 'min', 'max' or 'omit' where a sum would lie).
//      - the per-request counters come from the ledger: every live worker's
//        last counts plus those of the workers that are gone;
//      - the per-process metrics carry worker and pid labels, so no two
//        workers' values share labels: each stays its own series;
//      - the primary's own metrics (restarts, who answered);
//   4. render the text Prometheus reads.
import type { Worker } from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import { type Gathered, gather } from './gather.ts';
import type { CounterLedger } from './ledger.ts';
import { ownMetrics } from './own.ts';

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
  const gathered = await gather(workers, timeoutMs);
  for (const [worker, answer] of gathered.answers) ledger.record(worker.id, answer.requests);
  const perProcess = [...gathered.answers.values()].map((answer) => answer.process);
  const registry = AggregatorRegistry.aggregate([...ledger.totals(), ...perProcess, await ownMetrics(gathered)]);
  return { text: await registry.metrics(), contentType: registry.contentType, gathered };
}
