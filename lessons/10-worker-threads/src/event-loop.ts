// How late the event loop is: monitorEventLoopDelay() samples, every 10 ms,
// how much later than asked a timer fires. A main thread busy with CPU work
// cannot fire it: the delay is how long every request waited behind that work.
import { monitorEventLoopDelay } from 'node:perf_hooks';

const RESOLUTION_MS = 10;
const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
histogram.enable();

// The histogram holds the time between two samples; the delay is what
// exceeds the RESOLUTION_MS that was asked for.
const ms = (ns: number) => Math.max(0, Math.round(ns / 1e4 - RESOLUTION_MS * 100) / 100);

export interface LoopStats {
  /** Event-loop delay of this process's main thread since it started, in ms. */
  eventLoopDelayMs: { p50: number; p99: number; max: number };
  /** Resident memory of the whole process (every thread), in MB. */
  rssMb: number;
}

export function loopStats(): LoopStats {
  return {
    eventLoopDelayMs: { p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)), max: ms(histogram.max) },
    rssMb: Math.round(process.memoryUsage.rss() / 1e5) / 10,
  };
}
