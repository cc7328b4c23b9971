// Demo of lesson 14: the same fleet (2 instances x 2 workers behind nginx)
// with its state in each process's memory, then in Redis; the lost update;
// what a round trip to Redis costs; Redis stopped; the chat across instances,
// and a client whose instance drains, recovered on the other.

import { findNginx, missingNginx } from '@cluster-course/13-nginx/nginx/binary';
import { startLesson } from '@cluster-course/shared/harness';
import { fresh } from '@cluster-course/shared/harness/http';
import { expect, say, step, stopAndShow, table } from '@cluster-course/shared/harness/narrate';
import { findRedisServer, missingRedis } from '../src/redis/binary.ts';
import { chatAcross, drainRecovers } from './chat-steps.ts';
import { instanceUrl, login, me, redisPid, visitStorm } from './fleet.ts';
import { visitLatency } from './measure.ts';

// The demo starts its own Redis and nginx: without them, it says so and is done.
const missing = !findRedisServer()
  ? missingRedis()
  : !findNginx()
    ? missingNginx().replace('lesson 13', 'lesson 14')
    : undefined;
if (missing) {
  say(`lesson 14's demo skipped: ${missing}`);
  process.exit(0);
}
const dir = new URL('..', import.meta.url).pathname;
// Every write waits for Redis' fsync; on a disk other processes flood, one
// can take longer than the default 500 ms bound and answer 503 (the bound's
// job, proved by the tests). The counts here need every visit answered.
const start = (env: Record<string, string>) =>
  startLesson(dir, {
    env: { PORT: '0', WORKERS: '2', LIMIT: '5', REDIS_TIMEOUT_MS: '10000', ...env },
    readyTimeoutMs: 40_000,
  });

for (const state of ['memory', 'redis'] as const) {
  step(`STATE=${state}: 400 POST /visits (20 at a time), a login, the limit and the chat, through nginx`);
  const lesson = await start({ STATE: state });
  try {
    const storm = await visitStorm(lesson.url, 400, 20);
    table(
      ['instance:pid', 'answers', 'highest visits it said'],
      [...storm.byProcess].map(([who, values]) => [who, values.length, Math.max(...values)]),
    );
    say(`  the highest count any answer gave: ${Math.max(...storm.values)} (of 400 visits)`);
    const cookie = await login(instanceUrl(lesson, 1), 'ada');
    const there = await me(instanceUrl(lesson, 2), cookie);
    say(`  POST /login on instance 1, GET /me on instance 2: ${there.status} ${there.body.trim()}`);
    let passed = 0;
    for (let i = 0; i < 20; i++)
      if ((await fresh(instanceUrl(lesson, (i % 2) + 1, '/limited'))).status === 200) passed += 1;
    say(`  GET /limited 20 times, LIMIT=5: ${passed} passed`);
    await chatAcross(lesson, state === 'redis');
    const right = state === 'redis';
    expect((Math.max(...storm.values) === 400) === right, `the count to be ${right ? '' : 'not '}400`);
    expect((there.status === 200) === right, `the session to ${right ? '' : 'not '}cross instances`);
    expect((passed === 5) === right, `the limit to ${right ? '' : 'not '}hold fleet-wide`);

    if (right) {
      step('The lost update: GET then SET (?atomic=0), 400 visits more');
      const before = Math.max(...storm.values);
      const naive = await visitStorm(lesson.url, 400, 20, false);
      const last = Math.max(...naive.values) - before;
      say(`  400 visits, the counter went up by ${last}: ${400 - last} updates lost between a GET and its SET`);
      expect(last < 400, 'updates to be lost');

      step('What Redis costs: 1,000 POST /visits one at a time on a kept-alive connection to instance 1');
      /** The same measurement on a lesson of its own, started and stopped here. */
      const measured = async (env: Record<string, string>) => {
        const other = await start({ INSTANCES: '1', ...env });
        try {
          return await visitLatency(instanceUrl(other, 1), 1_000);
        } finally {
          await other.stop('SIGTERM');
          await other.dispose();
        }
      };
      const rows = [
        ['memory', await measured({ STATE: 'memory' })],
        ['redis, appendfsync everysec', await measured({ REDIS_APPENDFSYNC: 'everysec' })],
        ['redis, appendfsync always (this lesson)', await visitLatency(instanceUrl(lesson, 1), 1_000)],
      ] as const;
      table(
        ['state', 'p50 ms', 'p99 ms'],
        rows.map(([name, l]) => [name, l.p50.toFixed(2), l.p99.toFixed(2)]),
      );

      step('Redis stopped (SIGSTOP): the state routes answer 503 within REDIS_TIMEOUT_MS (500), /hello as usual');
      const pid = redisPid(lesson);
      process.kill(pid, 'SIGSTOP');
      const started = performance.now();
      const down = await fresh(new URL('/visits', lesson.url), { method: 'POST' });
      const ms = performance.now() - started;
      const hello = await fresh(new URL('/hello', lesson.url));
      process.kill(pid, 'SIGCONT');
      const back = await fresh(new URL('/visits', lesson.url), { method: 'POST' });
      say(`  POST /visits: ${down.status} after ${Math.round(ms)} ms ${down.body.trim()}`);
      say(`  GET /hello: ${hello.status}; after SIGCONT, POST /visits: ${back.status} ${back.body.trim()}`);
      expect(down.status === 503 && hello.status === 200 && back.status === 200, '503, then 200 again');

      step('The chat: instance 1 drains (SIGTERM); its client reconnects through nginx to instance 2');
      await drainRecovers(lesson);
    }
    step('SIGTERM: nginx and the instances stop, then Redis');
    await stopAndShow(lesson, lesson.lines.length);
  } finally {
    await lesson.dispose();
  }
}
