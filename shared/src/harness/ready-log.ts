// How close each start came to its ready wait. A ready wait is a bound for a
// lesson that hangs, not a race to win: a run where some lesson needed most of
// its wait passed by luck, and the next busier run fails. `pnpm soak` and
// `pnpm matrix` set CLUSTER_COURSE_READY_LOG to a file; every start the tests
// make then appends one line to it (appends of a line are whole, so the two
// test workers can share the file), and the tools print the closest ones.
import { appendFileSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';

export const READY_LOG_ENV = 'CLUSTER_COURSE_READY_LOG';

export interface ReadyTime {
  /** The lesson's folder name (`14-redis-state`). */
  lesson: string;
  /** From spawn to the ready line. */
  ms: number;
  /** The wait it had. */
  limitMs: number;
}

/** Notes one start (a no-op unless a tool asked for the log). */
export function recordReady(dir: string, ms: number, limitMs: number): void {
  const file = process.env[READY_LOG_ENV];
  if (!file) return;
  appendFileSync(file, `${basename(dir)} ${Math.round(ms)} ${limitMs}\n`);
}

/** The starts of a log that used the largest share of their wait, closest first. */
export function closestReadies(file: string, count = 3): ReadyTime[] {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return []; // no start waited for a ready line
  }
  return text
    .split('\n')
    .map((line) => line.split(' '))
    .filter((parts) => parts.length === 3)
    .map(([lesson = '', ms, limitMs]) => ({ lesson, ms: Number(ms), limitMs: Number(limitMs) }))
    .sort((a, b) => b.ms / b.limitMs - a.ms / a.limitMs)
    .slice(0, count);
}

/** `14-redis-state 23.4 s of 40 s`. */
export function describeReady({ lesson, ms, limitMs }: ReadyTime): string {
  return `${lesson} ${(ms / 1000).toFixed(1)} s of ${limitMs / 1000} s`;
}
