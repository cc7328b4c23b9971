// What the demo measures: the same CPU-bound load against the app under a
// CPU quota, with different worker counts. Each request burns 10 ms of CPU
// (GET /work?ms=10); `lanes` clients send them back to back on fresh
// connections for `ms` of wall time. One run on one machine: a shape, not a
// benchmark (lesson 09 says why, and how to measure for real).
import { fresh } from '@cluster-course/shared/harness/http';
import { statOf } from './observe.ts';

export interface QuotaLoad {
  rps: number;
  p50: number;
  p99: number;
  /** CFS periods (100 ms each) that ended with the cgroup out of quota, and the time it waited. */
  throttled: number;
  throttledMs: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;

/** The cpu.stat counters of several cgroups, added up. */
function cpuStat(dirs: string[]): Record<string, number> {
  const sum: Record<string, number> = {};
  for (const dir of dirs)
    for (const [key, value] of Object.entries(statOf(dir, 'cpu.stat'))) sum[key] = (sum[key] ?? 0) + value;
  return sum;
}

/** The load against `url`; the throttling counted in the cgroups `cpuDirs` (one per container). */
export async function loadUnderQuota(url: string, cpuDirs: string[], lanes: number, ms: number): Promise<QuotaLoad> {
  const times: number[] = [];
  const before = cpuStat(cpuDirs);
  const started = performance.now();
  const until = started + ms;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (performance.now() < until) {
        const sent = performance.now();
        const reply = await fresh(new URL('/work?ms=10', url), { timeoutMs: 30_000 });
        if (reply.status !== 200) throw new Error(`GET /work answered ${reply.status}`);
        times.push(performance.now() - sent);
      }
    }),
  );
  const elapsed = performance.now() - started;
  const after = cpuStat(cpuDirs);
  times.sort((a, b) => a - b);
  return {
    rps: Math.round((times.length / elapsed) * 1000),
    p50: Math.round(percentile(times, 0.5)),
    p99: Math.round(percentile(times, 0.99)),
    throttled: (after.nr_throttled ?? 0) - (before.nr_throttled ?? 0),
    // v1 counts nanoseconds (throttled_time), v2 microseconds (throttled_usec).
    throttledMs: Math.round(
      ((after.throttled_time ?? 0) - (before.throttled_time ?? 0)) / 1e6 +
        ((after.throttled_usec ?? 0) - (before.throttled_usec ?? 0)) / 1e3,
    ),
  };
}
