// Demo of lesson 09: a one-second-per-run smoke benchmark of every target
// (`pnpm bench --quick`), then what its numbers say. For numbers worth
// quoting, run `pnpm bench` (5 s per run) instead.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLesson } from '@cluster-course/shared/harness';
import { expect, say, step } from '@cluster-course/shared/harness/narrate';
import type { Row } from './report.ts';

const dir = new URL('..', import.meta.url).pathname;
const out = mkdtempSync(join(tmpdir(), 'bench-demo-'));

try {
  step('pnpm bench --quick: every target, both routes, 1 s each');
  const { exit } = await runLesson(dir, {
    entry: 'demo/bench.ts',
    args: ['--quick', '--out', out],
    echo: true,
    timeoutMs: 120_000,
  });
  expect(exit.code === 0, 'the benchmark to finish');

  const { rows } = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { rows: Row[] };
  const ratio = (target: string, route: string) => rows.find((r) => r.target === target && r.route === route)?.ratio;
  const show = (value: number | null | undefined) => (value ? `${value.toFixed(2)}x` : 'n/a');
  step('What it says');
  say(
    `/cpu (CPU-bound): cluster ${show(ratio('cluster', '/cpu'))} and broker ${show(ratio('broker', '/cpu'))} of one process.`,
  );
  say('  More processes, more cores busy with the work itself: close to the number of cores.');
  say(
    `/hello (I/O-light): cluster ${show(ratio('cluster', '/hello'))}, broker ${show(ratio('broker', '/hello'))} of one process.`,
  );
  say('  Here the work per request is tiny; the load generator needs the same cores, the');
  say('  primary touches every connection (cluster) or every request (broker). See the README.');
  say('\nOne second per run is a smoke test, not a measurement: `pnpm bench` runs 5 s each.');
} finally {
  rmSync(out, { recursive: true, force: true });
}
