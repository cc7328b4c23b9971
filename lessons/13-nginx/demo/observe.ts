// For the demo and the tests: what the lesson's own lines say about an
// instance, and how a whole "machine" dies at once.
import type { LessonProcess } from '@cluster-course/shared/harness';
import { type Load, type Reply, startLoad } from '@cluster-course/shared/harness/http';
import { childrenOf } from '@cluster-course/shared/harness/proc';

/** Instance n's latest primary pid and its port, from its own lines. */
export function instanceInfo(lesson: LessonProcess, n: number): { primary: number; port: number } {
  const text = lesson
    .stdout()
    .filter((l) => l.startsWith(`[instance ${n}] `))
    .join('\n');
  const primary = [...text.matchAll(/Primary (\d+) is running/g)].at(-1)?.[1];
  const port = [...text.matchAll(/serving on http:\/\/127\.0\.0\.1:(\d+)/g)].at(-1)?.[1];
  return { primary: Number(primary), port: Number(port) };
}

/** SIGKILL an instance's primary and its workers together, as a machine losing power. Returns their pids. */
export function killInstance(primary: number): number[] {
  const pids = [primary, ...childrenOf(primary).map((p) => p.pid)];
  for (const pid of pids) process.kill(pid, 'SIGKILL');
  return pids;
}

export const header = (reply: Reply, name: string) => String(reply.headers[name] ?? '');
/** x-instance: which instance answered (NaN for nginx's own answers, e.g. a 502). */
export const instanceOf = (reply: Reply) => Number(header(reply, 'x-instance'));

/**
 * A steady stream of GETs through nginx while an instance dies or a deploy
 * runs: 2 lanes, each starting a request every 10 ms at most (200 a second
 * at most, light enough to share 2 cores with nginx and 3 instances). It
 * flows for up to 150 s, longer than any step awaited under it (a rolling
 * deploy gets 60 s), so the stream never ends before the step.
 */
export function steadyStream(url: string | URL, send?: () => Promise<Reply>): Load {
  return startLoad(url, { lanes: 2, intervalMs: 10, maxMs: 150_000, ...(send ? { send } : {}) });
}
