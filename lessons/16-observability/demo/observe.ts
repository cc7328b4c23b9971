// Reading lesson 16 from outside, as Prometheus or a person would: the URLs
// its primary prints, and the text format of /metrics. The demo and the tests
// (tests/16-observability.test.ts) both use it.
import type { LessonProcess } from '@cluster-course/shared/harness';
import { fresh } from '@cluster-course/shared/harness/http';

/** The values of every sample of `name` whose labels include `labels`. */
export function samples(text: string, name: string, labels: Record<string, string> = {}): number[] {
  const found: number[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => have[key] === value)) found.push(Number(match[3]));
  }
  return found;
}

/** The one sample of `name` with `labels`; fails the test when there is not exactly one. */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const found = samples(text, name, labels);
  if (found.length !== 1)
    throw new Error(`expected one ${name}${JSON.stringify(labels)}, found ${found.length} in:\n${text}`);
  return found[0] as number;
}

/** The label values of `label` over every sample of `name`. */
export function labelValues(text: string, name: string, label: string): string[] {
  return [...text.matchAll(new RegExp(`^${name}\\{[^}]*${label}="([^"]*)"`, 'gm'))].map((m) => m[1] ?? '');
}

/** The URL after `<what>: ` in the primary's output (metrics, live page, prometheus). */
export function printedUrl(lesson: LessonProcess, what: 'metrics' | 'live page' | 'prometheus'): string {
  const match = new RegExp(`\\] ${what}: (http\\S+)`).exec(lesson.output());
  if (!match?.[1]) throw new Error(`no "${what}:" line in:\n${lesson.transcript()}`);
  return match[1];
}

/** One scrape of the cluster's /metrics; its text. */
export async function scrape(lesson: LessonProcess): Promise<string> {
  const reply = await fresh(printedUrl(lesson, 'metrics'));
  if (reply.status !== 200) throw new Error(`/metrics answered ${reply.status}: ${reply.body}`);
  return reply.body;
}

/** `count` GET /hello on fresh connections, one at a time; the pids that answered, with how many each. */
export async function hello(lesson: LessonProcess, count: number): Promise<Map<number, number>> {
  const byPid = new Map<number, number>();
  for (let i = 0; i < count; i++) {
    const reply = await fresh(`${lesson.url}/hello`);
    if (reply.status !== 200) throw new Error(`GET /hello answered ${reply.status}`);
    byPid.set(reply.workerPid, (byPid.get(reply.workerPid) ?? 0) + 1);
  }
  return byPid;
}
