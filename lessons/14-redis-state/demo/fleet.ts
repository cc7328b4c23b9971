// Instruments for lesson 14, used by its demo and its tests: where each
// part of the running fleet is (from the lesson's own lines), and the
// clients that drive it.
import type { LessonProcess } from '@cluster-course/shared/harness';
import { fresh, freshMany, type Reply } from '@cluster-course/shared/harness/http';
import { childrenOf } from '@cluster-course/shared/harness/proc';

/** Each instance's own port (its "serving on" line): instance number → port. */
export function instancePorts(lesson: LessonProcess): Map<number, number> {
  const ports = new Map<number, number>();
  for (const { text } of lesson.lines) {
    const match = /^\[instance (\d)\] .*serving on http:\/\/[^:]+:(\d+) /.exec(text);
    if (match) ports.set(Number(match[1]), Number(match[2]));
  }
  return ports;
}

/** The URL of instance `n` itself, around nginx. */
export function instanceUrl(lesson: LessonProcess, n: number, path = '/'): URL {
  const port = instancePorts(lesson).get(n);
  if (!port) throw new Error(`instance ${n} has not said where it serves`);
  return new URL(path, `http://127.0.0.1:${port}`);
}

/** Instance `n`'s primary pid (its "Primary N is running" line). */
export function instancePrimary(lesson: LessonProcess, n: number): number {
  const lines = lesson.lines.map(
    (l) => new RegExp(`^\\[instance ${n}\\] .*Primary (\\d+) is running`).exec(l.text)?.[1],
  );
  return Number(lines.filter(Boolean).at(-1));
}

/** SIGKILL an instance's primary and its workers together, as a machine losing power. */
export function killInstance(primary: number): void {
  for (const pid of [primary, ...childrenOf(primary).map((p) => p.pid)]) process.kill(pid, 'SIGKILL');
}

/** redis-server's pid now (the latest "redis-server (pid N) ready" line). */
export function redisPid(lesson: LessonProcess): number {
  const lines = lesson.lines.map((l) => /redis-server \(pid (\d+)\) ready/.exec(l.text)?.[1]).filter(Boolean);
  const pid = Number(lines.at(-1));
  if (!pid) throw new Error('the lesson has not said its redis-server pid');
  return pid;
}

export const instanceOf = (reply: Reply) => Number(reply.headers['x-instance']);

export interface VisitResult {
  /** Every value the fleet answered, in no particular order. */
  values: number[];
  /** Per process (instance:pid): the values it answered. */
  byProcess: Map<string, number[]>;
  /** What each request that failed answered ("503 {...}"), so a failure says why. */
  failures: string[];
}

/** `count` POST /visits, `concurrency` at a time, each on a fresh connection. */
export async function visitStorm(url: string | URL, count: number, concurrency: number, atomic = true) {
  const target = new URL(atomic ? '/visits' : '/visits?atomic=0', url);
  const replies = await freshMany(target, count, concurrency, { method: 'POST' });
  const result: VisitResult = { values: [], byProcess: new Map(), failures: [] };
  for (const reply of replies) {
    if (reply.status !== 200) {
      result.failures.push(`${reply.status} ${reply.body.trim().slice(0, 120)}`);
      continue;
    }
    const value = (JSON.parse(reply.body) as { visits: number }).visits;
    const key = `${instanceOf(reply)}:${reply.workerPid}`;
    result.values.push(value);
    result.byProcess.set(key, [...(result.byProcess.get(key) ?? []), value]);
  }
  return result;
}

/** POST /login as `user`; resolves with the session cookie (`sid=...`). */
export async function login(url: string | URL, user: string): Promise<string> {
  const reply = await fresh(new URL('/login', url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user }),
  });
  if (reply.status !== 200) throw new Error(`login answered ${reply.status}: ${reply.body}`);
  const cookie = String(reply.headers['set-cookie'] ?? '').split(';')[0];
  if (!cookie?.startsWith('sid=')) throw new Error('login set no sid cookie');
  return cookie;
}

/** GET /me with `cookie`. */
export const me = (url: string | URL, cookie: string, timeoutMs?: number) =>
  fresh(new URL('/me', url), { headers: { cookie }, timeoutMs });
