// Demo of lesson 01: start the cluster, send 8 requests on fresh connections
// (they spread over the workers), then 8 over one kept-alive connection
// (they all land on one worker), and stop.
import { type LessonProcess, startLesson } from '@cluster-course/shared/harness';
import { fresh, keepAlive } from '@cluster-course/shared/harness/http';
import { expect, replay, say, step, table } from '@cluster-course/shared/harness/narrate';

const dir = new URL('..', import.meta.url).pathname;

step('Start the cluster (PORT=0: any free port)');
const lesson: LessonProcess = await startLesson(dir, { env: { PORT: '0' } });
let seen = replay(lesson);

try {
  step('8 requests, each on a fresh connection');
  const spread: (string | number)[][] = [];
  for (let i = 1; i <= 8; i++) {
    const reply = await fresh(lesson.url);
    spread.push([i, reply.workerId, reply.workerPid, reply.body.trim()]);
  }
  table(['request', 'worker', 'pid', 'body'], spread);
  const spreadPids = new Set(spread.map((row) => row[2]));
  say(`\n${spreadPids.size} different workers answered: the primary gives each new connection to the next worker.`);

  step('8 requests over one keep-alive connection');
  const conn = keepAlive(lesson.url);
  const pinned: (string | number)[][] = [];
  for (let i = 1; i <= 8; i++) {
    const reply = await conn.request('/');
    pinned.push([i, reply.workerId, reply.workerPid]);
  }
  await conn.close();
  table(['request', 'worker', 'pid'], pinned);
  const pinnedPids = new Set(pinned.map((row) => row[2]));
  say(`\n${pinnedPids.size} worker answered all 8: the cluster balances connections, not requests.`);
  say('A connection belongs to the worker that accepted it, so a browser or any keep-alive');
  say('client talks to one process for as long as its connection lives.');
  expect(pinnedPids.size === 1, 'one pid over one keep-alive connection');
  expect(
    spreadPids.size === Math.min(8, lesson.stdout().filter((l) => / started$/.test(l)).length),
    'fresh connections to reach every worker',
  );

  step('Stop it with SIGINT, as Ctrl-C would');
  seen = lesson.mark();
  const exit = await lesson.stop('SIGINT');
  replay(lesson, seen);
  say(`\nThe primary exited with code ${exit.code} after ${exit.ms} ms, and took every worker with it.`);
  expect(exit.code === 0, 'exit code 0 after SIGINT');
} finally {
  await lesson.dispose();
}
