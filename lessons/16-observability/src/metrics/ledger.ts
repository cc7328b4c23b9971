// Counters that survive a worker. A worker's counters live in its memory:
// when it dies (or is replaced in a rolling restart) they are gone, and the
// cluster's sum drops by what that worker had counted. Prometheus reads any
// drop of a counter as a reset to zero: increase() and rate() then count the
// whole new sum as new requests, and the graph jumps up, not down.
// The ledger keeps, per worker, the counts of its last answer, and moves
// them into `retired` when it goes: the cluster's totals are the live
// workers' last counts plus the retired ones, and only ever grow. What a
// worker counted after its last answer is lost (a scrape a second, or the
// rolling restart's last gather, keeps that small). LEDGER=0 turns it off to
// show the drop.
import { AggregatorRegistry } from 'prom-client';
import type { MetricsJson } from './messages.ts';

export class CounterLedger {
  private readonly last = new Map<number, MetricsJson>();
  private readonly gone = new Set<number>();
  private retired: MetricsJson[] = [];
  private queue: Promise<void> = Promise.resolve();

  /** keep=false: a gone worker's counts are dropped (LEDGER=0, the break). */
  constructor(private readonly keep: boolean) {}

  /** A worker answered: its counts as of now. */
  record(workerId: number, requests: MetricsJson): void {
    // An answer handled after its worker's exit must not bring it back:
    // its counts are in `retired` already, and would be summed twice.
    if (!this.gone.has(workerId)) this.last.set(workerId, requests);
  }

  /** A worker is gone: fold its last counts into the retired total. */
  retire(workerId: number): Promise<void> {
    this.gone.add(workerId);
    // One fold at a time: two at once would each start from the same
    // `retired` and the second would lose the first.
    this.queue = this.queue.then(async () => {
      const last = this.last.get(workerId);
      if (last && this.keep) {
        const folded = AggregatorRegistry.aggregate([...this.retired, last]);
        this.retired = [await folded.getMetricsAsJSON()];
      }
      // Only now: a scrape in between still sees the counts, in `last`.
      this.last.delete(workerId);
    });
    return this.queue;
  }

  /** The registries to sum for the cluster's totals. */
  totals(): MetricsJson[] {
    return [...this.last.values(), ...this.retired];
  }
}
