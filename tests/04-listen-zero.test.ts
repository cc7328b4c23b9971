import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { runLesson, startLesson } from '@cluster-course/shared/harness';
import { freshMany } from '@cluster-course/shared/harness/http';
import { lessonDir } from '@cluster-course/shared/harness/lessons';
import { waitForGone } from '@cluster-course/shared/harness/proc';
import { describe, expect, it } from 'vitest';
import { contractTests } from './contract.ts';

const dir = lessonDir('04');
const listeningLine = /worker (\d+) \(pid (\d+)\) listening on http:\/\/127\.0\.0\.1:(\d+)$/;

/** The primary's line per worker: id, pid and the port it really got. */
async function workerPorts(lesson: Awaited<ReturnType<typeof startLesson>>, count: number) {
  const matches = await lesson.waitForLines(listeningLine, count);
  return matches.map(([, id, pid, port]) => ({ id: Number(id), pid: Number(pid), port: Number(port) }));
}

/** Finds a base port whose next `count` ports are free, by holding them briefly. */
async function freeBase(count: number): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 40_000);
    const held: Server[] = [];
    try {
      for (let i = 1; i <= count; i++) {
        const server = createServer().listen(base + i, '127.0.0.1');
        held.push(server);
        await once(server, 'listening');
      }
      return base;
    } catch {
      // taken: try another base
    } finally {
      await Promise.all(held.map((s) => new Promise((resolve) => s.close(resolve))));
    }
  }
  throw new Error('no free port range found');
}

describe.concurrent('lesson 04: listen(0) in a cluster', () => {
  it('PORT_MODE=shared with PORT=0: every worker gets the same random port', async () => {
    const lesson = await startLesson(dir, { env: { PORT: '0', WORKERS: '3', PORT_MODE: 'shared' } });
    const workers = await workerPorts(lesson, 3);
    expect(new Set(workers.map((w) => w.port))).toEqual(new Set([lesson.port]));
    // and the one port reaches all three workers
    const replies = await freshMany(lesson.url, 6, 1);
    expect(new Set(replies.map((r) => r.workerPid))).toEqual(new Set(workers.map((w) => w.pid)));
  });

  it('PORT_MODE=per-worker with PORT=0: distinct ports, each answered only by its own worker', async () => {
    const lesson = await startLesson(dir, { env: { PORT: '0', WORKERS: '3', PORT_MODE: 'per-worker' } });
    const workers = await workerPorts(lesson, 3);
    expect(new Set(workers.map((w) => w.port)).size).toBe(3);
    for (const worker of workers) {
      const replies = await freshMany(`http://127.0.0.1:${worker.port}/`, 3, 1);
      for (const reply of replies) {
        expect(reply.workerPid).toBe(worker.pid);
        expect(reply.workerId).toBe(worker.id);
        expect(reply.body).toContain(`on port ${worker.port}`);
      }
    }
  });

  it('PORT_MODE=per-worker with PORT=base: worker N listens on base + N', async () => {
    const base = await freeBase(2);
    const lesson = await startLesson(dir, { env: { PORT: String(base), WORKERS: '2', PORT_MODE: 'per-worker' } });
    const workers = await workerPorts(lesson, 2);
    for (const worker of workers) {
      expect(worker.port).toBe(base + worker.id);
      const [reply] = await freshMany(`http://127.0.0.1:${worker.port}/`, 1, 1);
      expect(reply?.workerPid).toBe(worker.pid);
    }
  });

  it('an unknown PORT_MODE, or PORT + WORKERS past 65535 in per-worker mode, exits 2 with one line', async () => {
    const bogus = await runLesson(dir, { env: { PORT: '0', PORT_MODE: 'random' } });
    expect(bogus.exit.code).toBe(2);
    expect(bogus.stderr).toEqual(['invalid PORT_MODE="random": expected one of shared, per-worker']);
    const tooHigh = await runLesson(dir, { env: { PORT: '65535', WORKERS: '2', PORT_MODE: 'per-worker' } });
    expect(tooHigh.exit.code).toBe(2);
    expect(tooHigh.stderr).toEqual([expect.stringMatching(/^invalid PORT="65535": expected at most 65533/)]);
  });

  it('per-worker mode stops cleanly too: each worker closes the socket the primary does not know', async () => {
    const lesson = await startLesson(dir, { env: { PORT: '0', WORKERS: '2', PORT_MODE: 'per-worker' } });
    const exit = await lesson.stop('SIGTERM');
    expect(exit).toMatchObject({ code: 0, signal: null });
    // Each worker left on its own: the 4 s SIGKILL safety net was not needed.
    expect(lesson.output()).not.toMatch(/SIGKILL/);
  });

  it('per-worker mode: SIGKILL of the primary leaves no worker behind', async () => {
    const lesson = await startLesson(dir, { env: { PORT: '0', WORKERS: '2', PORT_MODE: 'per-worker' } });
    const pids = lesson.members().map((p) => p.pid);
    lesson.signal('SIGKILL');
    await lesson.exited;
    expect(await waitForGone(pids, 3_000)).toBe(true);
  });

  it('per-worker mode: base + 1 in use gives one line naming that port and exit 1', async () => {
    const base = await freeBase(2);
    const blocker = createServer().listen(base + 1, '127.0.0.1');
    await once(blocker, 'listening');
    try {
      const { exit, stderr } = await runLesson(dir, {
        env: { PORT: String(base), WORKERS: '2', PORT_MODE: 'per-worker' },
        timeoutMs: 5_000,
      });
      expect(exit.code).toBe(1);
      expect(stderr).toEqual([expect.stringContaining(`port ${base + 1} is already in use`)]);
    } finally {
      blocker.close();
    }
  });
});

contractTests('04-listen-zero', { stopsWhenAWorkerDiesBeforeListening: true });
