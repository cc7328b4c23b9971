// Demo of lesson 07: the same loads against each policy, and the spread.
//   CONNECTIONS (default 400): fresh connections per load
//   CONCURRENCY (default 16): how many at once in the second load
//   WORKERS (default 4)
import { intEnv } from '@cluster-course/shared';
import { startLesson } from '@cluster-course/shared/harness';
import { expect, say, step } from '@cluster-course/shared/harness/narrate';
import { histogram, measureSpread } from './measure.ts';

const dir = new URL('..', import.meta.url).pathname;
const connections = intEnv('CONNECTIONS', 400, 1, 100_000);
const concurrency = intEnv('CONCURRENCY', 16, 1, 256);
const workers = intEnv('WORKERS', 4, 1, 64);
const loads = [
  { concurrency: 1, what: 'one at a time: each arrives while every worker is idle' },
  { concurrency, what: `${concurrency} at a time: connections arrive while workers are busy` },
];
const topTwo: string[] = [];

for (const policy of ['rr', 'none'] as const) {
  const lesson = await startLesson(dir, {
    env: { PORT: '0', WORKERS: String(workers), NODE_CLUSTER_SCHED_POLICY: policy },
  });
  try {
    for (const load of loads) {
      step(`NODE_CLUSTER_SCHED_POLICY=${policy}, ${workers} workers, ${connections} fresh connections, ${load.what}`);
      const spread = await measureSpread(lesson.url, connections, load.concurrency, workers);
      for (const line of histogram(spread)) say(line);
      const ratio = Number.isFinite(spread.maxOverMin) ? spread.maxOverMin.toFixed(2) : 'infinite (a worker got none)';
      const share = `${(spread.topTwoShare * 100).toFixed(0)}%`;
      say(`  busiest / idlest: ${ratio}   two busiest workers: ${share} of connections`);
      topTwo.push(`${policy}, ${load.concurrency} at a time: ${share}`);
      if (policy === 'rr') expect(spread.perWorker.length === workers, 'round-robin to reach every worker');
    }
    await lesson.stop('SIGTERM');
  } finally {
    await lesson.dispose();
  }
}

step('Next to the docs');
say('The Node.js docs on the shared-handle approach: "distribution tends to be very unbalanced",');
say('"over 70% of all connections ended up in just two processes, out of a total of eight".');
say(
  `With ${workers} workers an even spread puts ${((Math.min(2, workers) / workers) * 100).toFixed(0)}% in the two busiest. Measured here:`,
);
for (const line of topTwo) say(`  ${line}`);
say('Under none the kernel picks, and the pick depends on the kernel, the load and timing: run it');
say('again and the numbers move. Under rr the primary picks, and the spread stays even.');
