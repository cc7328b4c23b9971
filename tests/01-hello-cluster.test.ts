import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { runLesson, startLesson } from '@cluster-course/shared/harness';
import { fresh, freshMany, keepAlive } from '@cluster-course/shared/harness/http';
import { lessonDir } from '@cluster-course/shared/harness/lessons';
import { nodeChildrenOf } from '@cluster-course/shared/harness/proc';
import { describe, expect, it } from 'vitest';
import { contractTests } from './contract.ts';

const dir = lessonDir('01');

describe.concurrent('lesson 01: hello cluster', () => {
  it('the ready line waits for the last worker: with worker 3 paused before it listens, none; released, one, after all 3 listened', async () => {
    // First: a check stops at the first claim that fails, and this one fails
    // the same way every time a ready line comes too early.
    // Worker 3 is held before its code runs (as a slow start would hold it)
    // until the test lets it go: a ready line printed too early is printed
    // while it is held, every time, not only when a start happens to be slow.
    const lesson = await startLesson(dir, { env: { PORT: '0', WORKERS: '3' }, pauseWorker: 3, waitForReady: false });
    const [, paused] = await lesson.waitForLine(/\[test hook\] worker 3 \(pid (\d+)\) paused/);
    await lesson.waitForLine(/worker 1 \(pid \d+\) listening on/);
    await lesson.waitForLine(/worker 2 \(pid \d+\) listening on/);
    process.kill(Number(paused), 'SIGUSR2');
    await lesson.waitForLine(/worker 3 \(pid \d+\) listening on/);
    await lesson.waitForLine(/\bready\b/);
    const lines = lesson.stdout();
    const ready = lines.findIndex((line) => /\bready\b/.test(line));
    const listenedBeforeReady = lines.slice(0, ready).filter((line) => /listening on/.test(line)).length;
    expect(listenedBeforeReady, 'workers listening when the ready line was printed').toBe(3);
    expect(lines.filter((line) => /\bready\b/.test(line))).toHaveLength(1);
  });

  it('WORKERS=3 starts exactly 3 workers, children of the primary, and fresh connections reach all 3', async () => {
    const lesson = await startLesson(dir, { env: { PORT: '0', WORKERS: '3' } });
    // tsx may start an esbuild helper under the primary; workers are the Node.js children.
    const workers = nodeChildrenOf(lesson.pid);
    expect(workers).toHaveLength(3);

    // One at a time, each on a new connection: round-robin gives each worker 4 of 12.
    const replies = await freshMany(lesson.url, 12, 1);
    expect(new Set(replies.map((r) => r.workerPid))).toEqual(new Set(workers));
    for (const reply of replies) {
      expect(reply.status).toBe(200);
      expect(reply.body).toBe(`Hello from worker ${reply.workerId} (pid ${reply.workerPid})\n`);
    }
    expect(lesson.stdout().filter((line) => /Worker \d+ started$/.test(line))).toHaveLength(3);
    expect(lesson.stdout()).toContainEqual(expect.stringContaining(`Primary ${lesson.pid} is running`));
  });

  it('the primary names its Node.js, libuv and os.availableParallelism(): the binary the tests run on', async () => {
    const lesson = await startLesson(dir, { env: { PORT: '0', WORKERS: '1' } });
    const [, version, uv, count] =
      (await lesson.waitForLine(/Node\.js (v\S+), libuv (\S+): os\.availableParallelism\(\) = (\d+)$/)) ?? [];
    // pnpm matrix runs the suite on each major: the lesson must run on that very binary.
    expect({ version, uv, count: Number(count) }).toEqual({
      version: process.version,
      uv: process.versions.uv,
      count: availableParallelism(),
    });
  });

  // Node.js 22.18+ (and 23.6+) strips TypeScript types itself: no loader needed.
  it.runIf(Boolean((process.features as { typescript?: unknown }).typescript))(
    "runs without tsx, on Node.js's own type stripping: node src/main.ts",
    async () => {
      const lesson = await startLesson(dir, { env: { PORT: '0', WORKERS: '2' }, tsx: false });
      expect(readFileSync(`/proc/${lesson.pid}/cmdline`, 'utf8')).not.toContain('tsx');
      const replies = await freshMany(lesson.url, 4, 1);
      expect(new Set(replies.map((r) => r.workerPid))).toEqual(new Set(nodeChildrenOf(lesson.pid)));
      const exit = await lesson.stop('SIGTERM');
      expect(exit, lesson.transcript()).toMatchObject({ code: 0 });
    },
  );

  it('one keep-alive connection stays on one worker', async () => {
    const lesson = await startLesson(dir, { env: { PORT: '0', WORKERS: '3' } });
    const conn = keepAlive(lesson.url);
    try {
      const pids = new Set<number>();
      for (let i = 0; i < 9; i++) pids.add((await conn.request('/')).workerPid);
      expect(pids.size).toBe(1);
    } finally {
      await conn.close();
    }
    // ...while fresh connections in the same cluster do move between workers.
    const spread = await freshMany(lesson.url, 6, 1);
    expect(new Set(spread.map((r) => r.workerPid)).size).toBe(3);
  });

  it('answers an unknown path with 404 and a short message', async () => {
    const lesson = await startLesson(dir, { env: { PORT: '0', WORKERS: '1' } });
    const reply = await fresh(new URL('/nope', lesson.url));
    expect(reply.status).toBe(404);
    expect(reply.body).toBe('not found\n');
    expect(reply.workerPid).toBeGreaterThan(0);
  });

  it('setupPrimary({ exec }): cluster.settings.exec names src/worker-main.ts, and every worker runs that file', async () => {
    const lesson = await startLesson(dir, { entry: 'src/exec-main.ts', env: { PORT: '0', WORKERS: '2' } });
    expect(lesson.stdout()).toContainEqual(expect.stringMatching(/cluster\.settings\.exec = src\/worker-main\.ts$/));
    // Each worker says which file it runs: process.argv[1], from settings.exec.
    const running = lesson
      .stdout()
      .filter((line) => /^\[worker \d+ \(pid \d+\)\] running src\/worker-main\.ts$/.test(line));
    expect(running).toHaveLength(2);
    // The argv of each worker process, read from the kernel, says the same.
    const workers = nodeChildrenOf(lesson.pid);
    expect(workers).toHaveLength(2);
    for (const pid of workers) {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      expect(argv.some((arg) => arg.endsWith('/lessons/01-hello-cluster/src/worker-main.ts'))).toBe(true);
    }
    const replies = await freshMany(lesson.url, 4, 1);
    expect(new Set(replies.map((r) => r.workerPid))).toEqual(new Set(workers));
  });

  it('src/worker-main.ts run by hand (not a worker) exits 2 with one line', async () => {
    const { exit, stderr } = await runLesson(dir, { entry: 'src/worker-main.ts', env: { PORT: '0' } });
    expect(exit.code).toBe(2);
    expect(stderr).toEqual(['src/worker-main.ts is a worker file: start src/exec-main.ts instead']);
  });
});

contractTests('01-hello-cluster');
