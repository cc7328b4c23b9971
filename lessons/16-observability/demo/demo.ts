// Demo of lesson 16: the break (each worker's own /metrics), the fix (the
// primary's aggregate), what a scrape costs, a worker killed under the real
// Prometheus with and without the ledger, and the live page in Chromium.
// Prometheus and Chromium parts are skipped, with the reason, when missing.
import { startLesson } from '@cluster-course/shared/harness';
import { fresh } from '@cluster-course/shared/harness/http';
import { expect, say, step, table } from '@cluster-course/shared/harness/narrate';
import { findPrometheus } from '../src/prometheus/binary.ts';
import { counterAcrossKill } from './counter-across-kill.ts';
import { livePage } from './live-page.ts';
import { hello, sample } from './observe.ts';
import { scrapeCost } from './scrape-cost.ts';

const dir = new URL('..', import.meta.url).pathname;
const HELLO = { route: '/hello', status: '200' };

step('METRICS=worker WORKERS=2: 10 GET /hello, then /metrics on the app port, twice');
const perWorker = await startLesson(dir, { env: { PORT: '0', WORKERS: '2', METRICS: 'worker' } });
try {
  await hello(perWorker, 10);
  const seen = new Map<number, number>();
  for (let i = 0; i < 10 && seen.size < 2; i++) {
    const reply = await fresh(`${perWorker.url}/metrics`);
    seen.set(reply.workerPid, sample(reply.body, 'http_requests_total', HELLO));
  }
  table(
    ['scrape answered by', 'http_requests_total{route="/hello"}'],
    [...seen].map(([pid, count]) => [`worker pid ${pid}`, count]),
  );
  say('Each scrape sees one worker: neither says 10, and which one you get is the luck of the round-robin.');
  expect(seen.size === 2 && ![...seen.values()].includes(10), 'two workers, neither with the total');
  await perWorker.stop('SIGTERM');
} finally {
  await perWorker.dispose();
}

step("METRICS=cluster WORKERS=2: the same 10 requests, then the primary's /metrics");
const cluster = await startLesson(dir, { env: { PORT: '0', WORKERS: '2' } });
try {
  await hello(cluster, 10);
  const { body } = await fresh(/metrics: (\S+)/.exec(cluster.output())?.[1] ?? '');
  const total = sample(body, 'http_requests_total', HELLO);
  say(`http_requests_total{route="/hello",status="200"} ${total}   (summed over both workers)`);
  for (const line of body.split('\n').filter((l) => /^(process_resident_memory_bytes|cluster_worker_up)\{/.test(l))) {
    say(`${line}   (one series per worker)`);
  }
  expect(total === 10, 'the aggregate counts all 10');
  await cluster.stop('SIGTERM');
} finally {
  await cluster.dispose();
}

step('What a scrape costs the primary: the median of 20 scrapes, by number of workers');
await scrapeCost(dir, [1, 4]);

if (findPrometheus()) {
  step('kill -9 of a worker between two scrapes of the real Prometheus (LEDGER=1, the default, then LEDGER=0)');
  await counterAcrossKill(dir);
} else say('\n(Prometheus is not installed: the kill -9 under Prometheus is skipped)');

step('The live page, in headless Chromium');
await livePage(dir);
