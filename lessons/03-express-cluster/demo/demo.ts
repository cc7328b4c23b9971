// Demo of lesson 03: the same Express app in every worker, and what happens
// to in-memory state when there are several of them.
import { startLesson } from '@cluster-course/shared/harness';
import { fresh, freshMany } from '@cluster-course/shared/harness/http';
import { expect, replay, say, step, table } from '@cluster-course/shared/harness/narrate';

const dir = new URL('..', import.meta.url).pathname;

step('Start the Express app in a cluster of 2 workers');
const lesson = await startLesson(dir, { env: { PORT: '0', WORKERS: '2' } });
let seen = replay(lesson);

try {
  step('GET /cluster, 4 times on fresh connections');
  const replies = await freshMany(new URL('/cluster', lesson.url), 4, 1);
  for (const reply of replies) say(`  ${reply.body}   (pid ${reply.workerPid})`);

  step('GET /visits, 6 times: a counter kept in memory');
  const visits = await freshMany(new URL('/visits', lesson.url), 6, 1);
  table(
    ['request', 'worker', 'visits it reports'],
    visits.map((r, i) => [i + 1, r.workerId, (JSON.parse(r.body) as { visits: number }).visits]),
  );
  const last = Math.max(...visits.map((r) => (JSON.parse(r.body) as { visits: number }).visits));
  say(`\n6 visits in all, but no worker counts more than ${last}: each process has its own memory.`);
  say('Sessions, caches and counters kept in a worker are wrong in a cluster. Keep them in a');
  say('shared store (Redis, a database) or in the client (a signed cookie, a token).');
  expect(last === 3, 'each of the 2 workers to count 3 of the 6 visits');

  step('Bad input gets a short JSON error, never a stack trace');
  const malformed = await fresh(new URL('/echo', lesson.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"oops": ',
  });
  say(`  POST /echo with '{"oops": '  ->  ${malformed.status} ${malformed.body}`);
  const boom = await fresh(new URL('/boom', lesson.url));
  say(`  GET /boom                   ->  ${boom.status} ${boom.body}`);
  expect(malformed.status === 400 && boom.status === 500, '400 and 500');

  step('Stop (SIGTERM)');
  seen = lesson.mark();
  const exit = await lesson.stop('SIGTERM');
  replay(lesson, seen);
  expect(exit.code === 0, 'exit code 0');
} finally {
  await lesson.dispose();
}
