import { startLesson } from '@cluster-course/shared/harness';
import { fresh, freshMany, startLoad } from '@cluster-course/shared/http';
import { lessonDir } from '@cluster-course/shared/lessons';
import { nodeChildrenOf } from '@cluster-course/shared/proc';
import { describe, expect, it } from 'vitest';
import { decide } from '../lessons/02-exit-and-respawn/src/exit-policy.ts';
import { contractTests } from './contract.ts';

const dir = lessonDir('02');
const env = { PORT: '0', WORKERS: '2' };

describe('lesson 02: exit handling and respawn', () => {
  it('a SIGKILLed worker is logged with its pid and SIGKILL and replaced within 5 s; >= 95% of requests meanwhile succeed', async () => {
    const lesson = await startLesson(dir, { env });
    const load = startLoad(lesson.url, { lanes: 2, maxRequests: 3_000 });
    try {
      await load.succeeded(20);
      const victim = (await fresh(lesson.url)).workerPid;
      const since = lesson.mark();
      const killedAt = Date.now();
      process.kill(victim, 'SIGKILL');

      const [, id] = await lesson.waitForLine(
        new RegExp(
          `worker (\\d+) \\(pid ${victim}\\) was killed by signal: SIGKILL \\(exitedAfterDisconnect: false\\)`,
        ),
        { since },
      );
      const [, newId, newPid] = await lesson.waitForLine(
        new RegExp(`forked worker (\\d+) \\(pid (\\d+)\\) to replace worker ${id}$`),
        { since, timeoutMs: 5_000 },
      );
      await lesson.waitForLine(new RegExp(`worker ${newId} \\(pid ${newPid}\\) listening on`), {
        since,
        timeoutMs: Math.max(1, 5_000 - (Date.now() - killedAt)),
      });
      expect(Date.now() - killedAt).toBeLessThan(5_000);

      // The replacement takes its share of the traffic that kept flowing.
      await load.answeredBy((pid) => pid === Number(newPid));
    } finally {
      await load.stop();
    }
    expect(load.ok / (load.ok + load.failed)).toBeGreaterThanOrEqual(0.95);
    expect(nodeChildrenOf(lesson.pid)).toHaveLength(2);
  });

  it('POST /exit?code=3 is logged as error code 3 and the worker is replaced', async () => {
    const lesson = await startLesson(dir, { env });
    const since = lesson.mark();
    const reply = await fresh(new URL('/exit?code=3', lesson.url), { method: 'POST' });
    expect(reply.status).toBe(200);
    const [, id] = await lesson.waitForLine(
      new RegExp(
        `worker (\\d+) \\(pid ${reply.workerPid}\\) exited with error code: 3 \\(exitedAfterDisconnect: false\\)`,
      ),
      { since },
    );
    const [, newId] = await lesson.waitForLine(
      new RegExp(`forked worker (\\d+) \\(pid \\d+\\) to replace worker ${id}$`),
      {
        since,
      },
    );
    await lesson.waitForLine(new RegExp(`worker ${newId} \\(pid \\d+\\) listening on`), { since });
    expect(nodeChildrenOf(lesson.pid)).toHaveLength(2);
    expect(nodeChildrenOf(lesson.pid)).not.toContain(reply.workerPid);
  });

  it('POST /crash (an uncaught exception) is logged and the worker is replaced', async () => {
    const lesson = await startLesson(dir, { env });
    const since = lesson.mark();
    const reply = await fresh(new URL('/crash', lesson.url), { method: 'POST' });
    expect(reply.status).toBe(200);
    const [, id] = await lesson.waitForLine(
      new RegExp(`worker (\\d+) \\(pid ${reply.workerPid}\\) exited with error code: 1 `),
      { since },
    );
    await lesson.waitForLine(new RegExp(`forked worker \\d+ \\(pid \\d+\\) to replace worker ${id}$`), { since });
    expect(lesson.stderr().join('\n')).toContain('POST /crash');
  });

  it('POST /exit?code=0 is a deliberate exit: not replaced, the pool shrinks', async () => {
    const lesson = await startLesson(dir, { env });
    const before = nodeChildrenOf(lesson.pid);
    expect(before).toHaveLength(2);
    const since = lesson.mark();
    const reply = await fresh(new URL('/exit?code=0', lesson.url), { method: 'POST' });
    const [, id] = await lesson.waitForLine(new RegExp(`worker (\\d+) \\(pid ${reply.workerPid}\\) success!`), {
      since,
    });
    await lesson.waitForLine(
      new RegExp(`not replacing worker ${id}: a clean exit \\(code 0\\) is deliberate; 1 left`),
      {
        since,
      },
    );
    expect(lesson.lines.slice(since).some((l) => /forked worker/.test(l.text))).toBe(false);
    const survivors = before.filter((pid) => pid !== reply.workerPid);
    expect(nodeChildrenOf(lesson.pid)).toEqual(survivors);
    const after = await freshMany(lesson.url, 4, 1);
    expect(new Set(after.map((r) => r.workerPid))).toEqual(new Set(survivors));
  });

  it('when the last worker exits cleanly the primary exits 0', async () => {
    const lesson = await startLesson(dir, { env: { ...env, WORKERS: '1' } });
    await fresh(new URL('/exit?code=0', lesson.url), { method: 'POST' });
    expect(await lesson.waitForExit(5_000)).toMatchObject({ code: 0, signal: null });
    expect(lesson.output()).toContain('the last worker left cleanly');
  });

  it('CRASH_ON_START=1: backoff 100, 200, 400, 800 ms, then one line saying why and exit 1 within 20 s', async () => {
    const lesson = await startLesson(dir, { env: { ...env, WORKERS: '1', CRASH_ON_START: '1' }, waitForReady: false });
    const exit = await lesson.waitForExit(20_000);
    expect(exit).toMatchObject({ code: 1, signal: null });
    const delays = lesson.stdout().flatMap((l) => l.match(/replacing worker \d+ in (\d+) ms/)?.[1] ?? []);
    expect(delays.map(Number)).toEqual([100, 200, 400, 800]);
    expect(lesson.stdout().filter((l) => /forked worker/.test(l))).toHaveLength(5);
    const why = lesson.stderr().filter((l) => l.startsWith('giving up:'));
    expect(why).toEqual([expect.stringMatching(/^giving up: 5 workers in a row died within 1000 ms of starting/)]);
  });

  it('CRASH_ON_START=1 with 2 workers also ends with exit 1 within 20 s', async () => {
    const lesson = await startLesson(dir, { env: { ...env, CRASH_ON_START: '1' }, waitForReady: false });
    expect(await lesson.waitForExit(20_000)).toMatchObject({ code: 1, signal: null });
    expect(lesson.stdout().filter((l) => /forked worker/.test(l)).length).toBeLessThanOrEqual(6);
  });

  it('bad input to /exit gets 400 and a short message', async () => {
    const lesson = await startLesson(dir, { env });
    const reply = await fresh(new URL('/exit?code=abc', lesson.url), { method: 'POST' });
    expect(reply.status).toBe(400);
    expect(reply.body).toBe('code must be an integer from 0 to 255\n');
    expect((await fresh(new URL('/crash', lesson.url))).status).toBe(405);
  });

  it('the naive `on("exit", fork)` loop forks as fast as it can (bounded demo script)', async () => {
    const lesson = await startLesson(dir, {
      entry: 'src/naive-respawn.ts',
      env: { NAIVE_MS: '1000' },
      waitForReady: false,
    });
    expect(await lesson.waitForExit(15_000)).toMatchObject({ code: 0 });
    const [, forks] = lesson.output().match(/forked (\d+) workers in [\d.]+ s/) ?? [];
    expect(Number(forks)).toBeGreaterThanOrEqual(3);
  });
});

describe('lesson 02: the policy table of src/exit-policy.ts', () => {
  const base = { code: null, signal: null, exitedAfterDisconnect: false, listenedForMs: 5_000, failedStartsInARow: 0 };
  it.each([
    ['asked to stop', { code: 0, exitedAfterDisconnect: true }, 'keep-shrunk', 0],
    ['killed while stopping', { signal: 'SIGTERM', exitedAfterDisconnect: true }, 'keep-shrunk', 0],
    ['clean exit', { code: 0 }, 'keep-shrunk', 0],
    ['crash after running fine', { signal: 'SIGKILL' }, 'replace', 0],
    ['error code after running fine', { code: 3, failedStartsInARow: 3 }, 'replace', 0],
    ['died before listening', { code: 1, listenedForMs: null }, 'replace', 100],
    ['died soon after listening, 3rd in a row', { code: 1, listenedForMs: 200, failedStartsInARow: 2 }, 'replace', 400],
    ['5th failed start in a row', { code: 1, listenedForMs: null, failedStartsInARow: 4 }, 'give-up', 0],
  ] as const)('%s', (_, facts, action, delayMs) => {
    expect(decide({ ...base, ...facts })).toMatchObject({ action, delayMs });
  });
});

contractTests('02-exit-and-respawn');
