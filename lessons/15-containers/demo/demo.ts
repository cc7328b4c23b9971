// Demo of lesson 15: the cluster in a "container" (a cgroup and a PID
// namespace, as Docker makes them). What the app sees inside a 1-CPU quota;
// the same load with too many workers, the right number and one; a worker
// OOM-killed and replaced; PID 1 and `docker stop`, without and with an init.

import { findNginx, missingNginx } from '@cluster-course/13-nginx/nginx/binary';
import { startLesson } from '@cluster-course/shared/harness';
import { fresh, keepAlive } from '@cluster-course/shared/harness/http';
import { expect, replay, say, step, table } from '@cluster-course/shared/harness/narrate';
import { loadUnderQuota } from './measure.ts';
import { cgroupOfLesson, missingRights } from './observe.ts';
import { twoHalfContainers } from './one-per-container.ts';

const cannot = missingRights();
if (cannot) {
  say(`lesson 15's demo skipped: ${cannot}`);
  process.exit(0);
}
const dir = new URL('..', import.meta.url).pathname;
const start = (env: Record<string, string>) =>
  startLesson(dir, { env: { PORT: '0', NO_COLOR: '1', ...env }, readyTimeoutMs: 30_000 });

step('CPUS=1 WORKERS=2 pnpm lesson 15: a 1-CPU container on a 2-core machine');
let lesson = await start({ CPUS: '1', WORKERS: '2' });
replay(lesson);
const inside = JSON.parse((await fresh(new URL('/inside', lesson.url))).body);
say(
  `  GET /inside: availableParallelism ${inside.availableParallelism}, cpus ${inside.cpus}, quota ${inside.quota.cpus} CPU`,
);
await lesson.dispose();

step('The same load (4 clients, 10 ms of CPU per request, 2 s) under each quota and worker count');
const rows: (string | number)[][] = [];
for (const [cpus, workers] of [
  ['1', '2'],
  ['1', 'auto'],
  ['1.5', '2'],
  ['1.5', 'auto'],
] as const) {
  lesson = await start({ CPUS: cpus, WORKERS: workers });
  const n = /\((\d+) workers?;/.exec(lesson.stdout().find((l) => l.startsWith('ready:')) ?? '')?.[1];
  const result = await loadUnderQuota(lesson.url, [cgroupOfLesson(lesson).cpu], 4, 2_000);
  rows.push([cpus, `${workers} (${n})`, result.rps, result.p50, result.p99, result.throttled, result.throttledMs]);
  await lesson.dispose();
}
table(['CPUS', 'WORKERS', 'req/s', 'p50 ms', 'p99 ms', 'periods throttled', 'ms throttled'], rows);
say('  Under a quota, a second worker cannot add CPU: it only takes turns with the first, and the');
say('  kernel stops both at the end of each 100 ms period (the throttled column). Compare the p99s.');

step('One process per container, or a cluster in one? 1 CPU in all, the same load');
const nginx = findNginx();
if (nginx) {
  const two = await twoHalfContainers(nginx, 4, 2_000);
  const [clusterOf2, auto] = [rows[0], rows[1]];
  table(
    ['layout', 'req/s', 'p50 ms', 'p99 ms', 'periods throttled'],
    [
      ['2 containers x 0.5 CPU, 1 process each, nginx in front', two.rps, two.p50, two.p99, two.throttled],
      [
        '1 container x 1 CPU, WORKERS=auto (1 worker)',
        auto?.[2] ?? '',
        auto?.[3] ?? '',
        auto?.[4] ?? '',
        auto?.[5] ?? '',
      ],
      [
        '1 container x 1 CPU, 2 workers',
        clusterOf2?.[2] ?? '',
        clusterOf2?.[3] ?? '',
        clusterOf2?.[4] ?? '',
        clusterOf2?.[5] ?? '',
      ],
    ],
  );
  say('  Half a CPU each is throttled by itself: every 100 ms period, 50 ms of work, then a wait.');
} else {
  say(`  skipped: ${missingNginx()}`);
}

step('MEMORY=200M: one worker keeps 300 MiB more (GET /grow?mb=300)');
lesson = await start({ MEMORY: '200M', WORKERS: '2' });
let mark = replay(lesson);
const connection = keepAlive(lesson.url);
const victim = (await connection.request('/')).workerPid;
const grown = await connection.request('/grow?mb=300').then(
  () => 'answered',
  (err: Error) => `no answer (${err.message})`,
);
say(`  the request to worker pid ${victim}: ${grown}`);
await lesson.waitForLine(/\] Worker \d+ started$/, { since: mark + 1 });
mark = replay(lesson, mark);
await connection.close().catch(() => {});
expect(
  lesson.stdout().some((l) => l.includes("the kernel's OOM killer")),
  'the primary names the OOM killer',
);
await lesson.dispose();

for (const [what, env] of [
  ['PID1=1 HANDLER=0 (node is PID 1, no SIGTERM handler)', { PID1: '1', HANDLER: '0' }],
  ['PID1=1 (node is PID 1, with the handler)', { PID1: '1' }],
  ['INIT=1 HANDLER=0 (tini is PID 1, no handler in the app)', { INIT: '1', HANDLER: '0' }],
] as const) {
  step(`${what}: kill -TERM the lesson, as docker stop would`);
  lesson = await start({ WORKERS: '1', STOP_GRACE: '2000', ...env });
  mark = lesson.stdout().length;
  const sent = Date.now();
  lesson.signal('SIGTERM');
  await lesson.waitForExit(10_000);
  replay(lesson, mark);
  say(`  stopped after ${Date.now() - sent} ms`);
}
