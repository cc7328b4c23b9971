// Demo of lesson 13: the real nginx in front of 3 instances of 2 workers.
// Both levels of balancing, the keep-alive surprise, an instance killed under
// load (a GET rescued, a POST not), and a rolling deploy, each measured.
import { startLesson } from '@cluster-course/shared/harness';
import { fresh, freshMany } from '@cluster-course/shared/harness/http';
import { expect, replay, say, step, stopAndShow, table } from '@cluster-course/shared/harness/narrate';
import { findNginx, missingNginx } from '../src/nginx/binary.ts';
import { header, instanceInfo, instanceOf, killInstance, steadyStream } from './observe.ts';

if (!findNginx()) {
  say(`lesson 13's demo skipped: ${missingNginx()}`);
  process.exit(0);
}
const dir = new URL('..', import.meta.url).pathname;
const lesson = await startLesson(dir, { env: { PORT: '0', INSTANCES: '3', WORKERS: '2' }, readyTimeoutMs: 40_000 });
try {
  step('INSTANCES=3 WORKERS=2 pnpm lesson 13: three instances, then nginx in front of them');
  let mark = replay(lesson);

  /** Which workers of each instance answered `count` requests sent `lanes` at a time. */
  async function spread(count: number, lanes: number) {
    const replies = await freshMany(lesson.url, count, lanes);
    return [1, 2, 3].map((n) => new Set(replies.filter((r) => instanceOf(r) === n).map((r) => r.workerPid)));
  }
  step('12 fresh requests, one at a time, then 60 sent 12 at a time: which workers of each instance answer?');
  const oneAtATime = await spread(12, 1);
  const manyAtATime = await spread(60, 12);
  table(
    ['instance', 'workers used, one at a time', 'workers used, 12 at a time'],
    [1, 2, 3].map((n) => [n, oneAtATime[n - 1]?.size ?? 0, manyAtATime[n - 1]?.size ?? 0]),
  );
  say('  nginx spreads requests over the instances. But it keeps connections open to them (keepalive 8),');
  say('  and a connection stays with the worker that accepted it (lesson 01): one at a time, each');
  say('  instance sees one pooled connection, so one worker. Under concurrency nginx opens more.');
  expect(
    oneAtATime.every((s) => s.size === 1),
    'one pooled connection, one worker, per instance',
  );

  step('kill -9 a whole instance (primary and workers) while a GET /slow waits on it, under a steady stream of GETs');
  const load = steadyStream(lesson.url);
  await load.succeeded(10);
  mark = lesson.lines.length;
  const slow = fresh(new URL('/slow?ms=1000', lesson.url), { timeoutMs: 15_000 });
  const [, n] = await lesson.waitForLine(/^\[instance (\d)\] .*GET \/slow/, { since: mark });
  killInstance(instanceInfo(lesson, Number(n)).primary);
  const rescued = await slow;
  await lesson.waitForLine(/temporarily disabled/, { since: mark });
  await load.succeeded(load.ok + 20);
  await load.stop();
  mark = replay(lesson, mark);
  say(
    `  the GET in flight: ${rescued.status} from instance ${instanceOf(rescued)}, x-upstream: ${header(rescued, 'x-upstream')}`,
  );
  say(`  the stream: ${load.ok} answered, ${load.failed} failed`);
  expect(rescued.status === 200 && load.failed === 0, 'no failed GET: nginx retried on another instance');

  step('the same for a POST /slow: nginx has sent it, so it must not send it again');
  const post = fresh(new URL('/slow?ms=5000', lesson.url), { method: 'POST', timeoutMs: 15_000 });
  const [, m] = await lesson.waitForLine(/^\[instance (\d)\] .*POST \/slow/, { since: mark });
  killInstance(instanceInfo(lesson, Number(m)).primary);
  const lost = await post;
  mark = replay(lesson, mark);
  say(
    `  the POST: ${lost.status} ${lost.body.match(/<title>.*<\/title>/)?.[0] ?? ''}, x-upstream: ${header(lost, 'x-upstream')}`,
  );
  expect(lost.status === 502, 'a 502 for the POST');

  step('kill -HUP <lesson pid>: a rolling deploy (it also brings back the two dead instances), under load');
  const deploy = steadyStream(lesson.url);
  await deploy.succeeded(10);
  lesson.signal('SIGHUP');
  await lesson.waitForLine(/rolling deploy complete/, { since: mark, timeoutMs: 60_000 });
  await deploy.succeeded(deploy.ok + 10);
  await deploy.stop();
  mark = replay(lesson, mark);
  const after = await spread(12, 1);
  say(
    `  during the deploy: ${deploy.ok} answered, ${deploy.failed} failed; after it, instances answering: ${after.filter((s) => s.size).length}`,
  );
  expect(
    deploy.failed === 0 && after.every((s) => s.size === 1),
    'a deploy without a failed request, every instance back',
  );

  step('SIGTERM: nginx stops gracefully, every instance drains, the prefix is removed');
  await stopAndShow(lesson, mark);
} finally {
  await lesson.dispose();
}
