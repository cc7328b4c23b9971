import { runLesson, startLesson } from '@cluster-course/shared/harness';
import { fresh, type Reply } from '@cluster-course/shared/harness/http';
import { lessonDir } from '@cluster-course/shared/harness/lessons';
import { describe, expect, it } from 'vitest';
import { contractTests } from './contract.ts';

const dir = lessonDir('10');
const env = { PORT: '0', WORKERS: '2' };

/** Four CPU requests of `ms`, each on its own connection, and a note of which are done. */
function cpuLoad(url: string, ms: number) {
  const done = new Set<number>();
  const replies = Promise.all(
    [0, 1, 2, 3].map((i) =>
      fresh(new URL(`/cpu?ms=${ms}`, url)).then((reply) => {
        done.add(i);
        return reply;
      }),
    ),
  );
  return { replies, done };
}

async function timed(url: string | URL): Promise<Reply & { ms: number }> {
  const started = performance.now();
  const reply = await fresh(url);
  return { ...reply, ms: performance.now() - started };
}

/** Short JSON, no stack trace. */
function expectShortError(reply: Reply, status: number) {
  expect(reply.status).toBe(status);
  expect(String(reply.headers['content-type'])).toMatch(/^application\/json/);
  expect(JSON.parse(reply.body)).toHaveProperty('error');
  expect(reply.body.length).toBeLessThan(100);
  expect(reply.body).not.toMatch(/\bat .*\.(ts|js):\d+/);
}

describe('lesson 10: worker threads or cluster', () => {
  it('blocking: a /hello sent while 4 /cpu?ms=300 are in flight waits at least 250 ms; the loop delay shows it', async () => {
    const lesson = await startLesson(dir, { env: { ...env, MODE: 'blocking' } });
    const load = cpuLoad(lesson.url, 300);
    // The line is printed just before the main thread starts computing.
    await lesson.waitForLine(/GET \/cpu\?ms=300: on the main thread/);
    const hello = await timed(new URL('/hello', lesson.url));
    expect(hello.status).toBe(200);
    expect(hello.ms).toBeGreaterThanOrEqual(250);
    const replies = await load.replies;
    expect(replies.map((r) => r.headers['x-thread-id'])).toEqual(['0', '0', '0', '0']);
    const stats = JSON.parse((await fresh(new URL('/stats', lesson.url))).body);
    expect(stats).toMatchObject({ mode: 'blocking', pid: lesson.pid, tasksRun: 4 });
    // Each task blocked the loop for at least its own work, and the delay
    // histogram samples every 10 ms (src/event-loop.ts), so its max is at least
    // the longest work less 10 ms. Compared with the work measured, not with
    // the 300 ms asked: a calibrated millisecond is only as steady as the CPU
    // (a run on a busy machine saw 249 ms for 300 asked).
    const longestWork = Math.max(...replies.map((r) => JSON.parse(r.body).workMs as number));
    expect(longestWork).toBeGreaterThan(100);
    expect(stats.eventLoopDelayMs.max).toBeGreaterThanOrEqual(longestWork - 10);
  });

  it('threads: the same /hello answers before any of the 4 /cpu?ms=300 ends, while they run on 2 threads of one pid', async () => {
    const lesson = await startLesson(dir, { env: { ...env, MODE: 'threads' } });
    await lesson.waitForLine(/a pool of 2 threads started/);
    const load = cpuLoad(lesson.url, 300);
    await lesson.waitForLines(/GET \/cpu\?ms=300: to the pool/, 4);
    const hello = await timed(new URL('/hello', lesson.url));
    // Answered while every /cpu was still running: the main thread never
    // waited for a task. Relative to the work, not to a clock: a busy soak
    // once saw 157 ms here (two CPU hogs and another test file on 2 cores),
    // and blocking mode cannot answer before the first task ends (above).
    expect(load.done.size).toBe(0);
    expect(hello.status).toBe(200);
    expect(hello.headers['x-thread-id']).toBe('0');
    const replies = await load.replies;
    const threads = new Set(replies.map((r) => Number(r.headers['x-thread-id'])));
    expect(threads.size).toBeGreaterThanOrEqual(2);
    expect(threads.has(0)).toBe(false);
    expect(new Set(replies.map((r) => r.workerPid))).toEqual(new Set([lesson.pid]));
  });

  it('threads: the threads share one counter (SharedArrayBuffer + Atomics): /stats counts every task', async () => {
    const lesson = await startLesson(dir, { env: { ...env, MODE: 'threads' } });
    const replies = await Promise.all(Array.from({ length: 6 }, () => fresh(new URL('/cpu?ms=20', lesson.url))));
    expect(new Set(replies.map((r) => JSON.parse(r.body).tasksRun))).toEqual(new Set([1, 2, 3, 4, 5, 6]));
    const stats = JSON.parse((await fresh(new URL('/stats', lesson.url))).body);
    expect(stats).toMatchObject({ mode: 'threads', threads: 2, tasksRun: 6 });
  });

  it('threads: /boom gives 500 JSON without a stack; the same pid and pool serve on', async () => {
    const lesson = await startLesson(dir, { env: { ...env, MODE: 'threads' } });
    const boom = await fresh(new URL('/boom', lesson.url));
    expectShortError(boom, 500);
    expect(boom.workerPid).toBe(lesson.pid);
    await lesson.waitForLine(/GET \/boom: the CPU task failed/);
    const after = await Promise.all([0, 1, 2, 3].map(() => fresh(new URL('/cpu?ms=10', lesson.url))));
    for (const reply of after) {
      expect(reply.status).toBe(200);
      expect(reply.workerPid).toBe(lesson.pid);
    }
    expect(JSON.parse((await fresh(new URL('/stats', lesson.url))).body).threads).toBe(2);
  });

  it('cluster: the /cpu work is spread over 2 processes, each on its main thread (x-thread-id 0)', async () => {
    const lesson = await startLesson(dir, { env: { ...env, MODE: 'cluster' } });
    const replies = await cpuLoad(lesson.url, 100).replies;
    expect(replies.map((r) => r.headers['x-thread-id'])).toEqual(['0', '0', '0', '0']);
    const pids = new Set(replies.map((r) => r.workerPid));
    expect(pids.size).toBe(2);
    expect(pids.has(lesson.pid)).toBe(false);
    const boom = await fresh(new URL('/boom', lesson.url));
    expectShortError(boom, 500);
  });

  it('bad input: /cpu?ms=abc and ms=1001 get 400, an unknown path 404, a POST 405, all short JSON', async () => {
    const lesson = await startLesson(dir, { env });
    expectShortError(await fresh(new URL('/cpu?ms=abc', lesson.url)), 400);
    expectShortError(await fresh(new URL('/cpu?ms=1001', lesson.url)), 400);
    expectShortError(await fresh(new URL('/nope', lesson.url)), 404);
    expectShortError(await fresh(new URL('/hello', lesson.url), { method: 'POST' }), 405);
  });

  it('MODE=nope exits 2 with one line naming MODE and the modes', async () => {
    const { exit, stderr } = await runLesson(dir, { env: { ...env, MODE: 'nope' } });
    expect(exit.code).toBe(2);
    expect(stderr.filter((line) => line.trim())).toHaveLength(1);
    expect(stderr[0]).toMatch(/MODE.*nope.*blocking, threads, cluster/);
  });

  // The race of a stop with the pool's start, forced: every thread is held
  // before its code runs (hold-threads.mjs), so the pool never finishes
  // starting. A lesson that waited for it would never exit; one that only
  // waited on a busy machine took 3.3 s in a CI run (Node 22).
  it('threads: a SIGTERM while the pool is still starting ends the process at once, exit code 0, no ready line', async () => {
    const lesson = await startLesson(dir, { env: { ...env, MODE: 'threads' }, holdThreads: true, waitForReady: false });
    await lesson.waitForLine(/\[test hook\] thread \d+ \(pid \d+\) held before its code runs/);
    const sent = Date.now();
    lesson.signal('SIGTERM');
    expect(await lesson.waitForExit(5_000), lesson.transcript()).toMatchObject({ code: 0, signal: null });
    expect(Date.now() - sent).toBeLessThan(1_000);
    expect(lesson.output()).not.toMatch(/\bready\b|a pool of 2 threads started/);
    expect(lesson.output()).toMatch(/SIGTERM before the server listens: nothing to drain/);
  });

  it('blocking: SIGTERM stops it with exit code 0', async () => {
    const lesson = await startLesson(dir, { env: { ...env, MODE: 'blocking' } });
    expect(await lesson.stop('SIGTERM')).toMatchObject({ code: 0, signal: null });
  });
});

contractTests('10-worker-threads', { oneProcess: true, identityPath: '/hello' });
contractTests('10-worker-threads', { env: { MODE: 'cluster' }, identityPath: '/hello' });
