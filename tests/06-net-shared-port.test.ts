import { startLesson } from '@cluster-course/shared/harness';
import { lessonDir } from '@cluster-course/shared/harness/lessons';
import { nodeChildrenOf } from '@cluster-course/shared/harness/proc';
import { connectLines } from '@cluster-course/shared/harness/tcp';
import { listeningPids } from '@cluster-course/shared/runtime/sockets';
import { describe, expect, it } from 'vitest';
import { contractTests } from './contract.ts';

const dir = lessonDir('06');
const linux = process.platform === 'linux';

describe.concurrent('lesson 06: sharing a net server port', () => {
  it('greetings name the worker pid, and fresh connections reach every worker', async () => {
    const lesson = await startLesson(dir, { env: { PORT: '0', WORKERS: '3' } });
    const seen = new Set<number>();
    for (let i = 0; i < 6; i++) {
      const client = await connectLines(lesson.url);
      const greeting = await client.next();
      expect(greeting, 'the first line a client gets').toMatch(/^hello from worker (\d+) \(pid (\d+)\)$/);
      const [, id, pid] = greeting.match(/^hello from worker (\d+) \(pid (\d+)\)$/) ?? [];
      expect(Number(id)).toBeGreaterThan(0);
      seen.add(Number(pid));
      client.close();
    }
    expect(seen).toEqual(new Set(nodeChildrenOf(lesson.pid)));
    expect(seen.size).toBe(3);
  });

  it('answers each line with `worker <id>: <line>` and closes on quit', async () => {
    const lesson = await startLesson(dir, { env: { PORT: '0', WORKERS: '2' } });
    const client = await connectLines(lesson.url);
    const [, id] = (await client.next()).match(/^hello from worker (\d+)/) ?? [];
    client.send('hello there');
    expect(await client.next()).toBe(`worker ${id}: hello there`);
    client.send('second line');
    expect(await client.next()).toBe(`worker ${id}: second line`);
    client.send('quit');
    expect(await client.next()).toBe('bye');
    await client.closed;
  });

  it('a line over 8192 bytes gets one error line and the connection is closed', async () => {
    const lesson = await startLesson(dir, { env: { PORT: '0', WORKERS: '1' } });
    const client = await connectLines(lesson.url);
    await client.next();
    client.send('x'.repeat(10_000));
    expect(await client.next()).toBe('error: line too long (max 8192 bytes)');
    await client.closed;
  });

  it.skipIf(!linux)('round-robin (default): only the primary holds the LISTEN socket, and says so', async () => {
    const lesson = await startLesson(dir, { env: { PORT: '0', WORKERS: '2', NODE_CLUSTER_SCHED_POLICY: undefined } });
    expect(listeningPids(lesson.port)).toEqual([lesson.pid]);
    expect(lesson.output()).toContain('scheduling policy: rr');
    expect(lesson.output()).toContain(
      `the LISTEN socket of port ${lesson.port} is held by pid ${lesson.pid} (primary)\n`,
    );
  });

  it.skipIf(!linux)('NODE_CLUSTER_SCHED_POLICY=none: the workers hold the LISTEN socket themselves', async () => {
    const lesson = await startLesson(dir, { env: { PORT: '0', WORKERS: '2', NODE_CLUSTER_SCHED_POLICY: 'none' } });
    const holders = listeningPids(lesson.port) ?? [];
    for (const worker of nodeChildrenOf(lesson.pid)) expect(holders).toContain(worker);
    expect(lesson.output()).toContain('scheduling policy: none');
    // and connections are still served
    const client = await connectLines(lesson.url);
    expect(await client.next()).toMatch(/^hello from worker/);
    client.close();
  });

  it('SIGTERM says goodbye to open connections and exits 0', async () => {
    const lesson = await startLesson(dir, { env: { PORT: '0', WORKERS: '2' } });
    const client = await connectLines(lesson.url);
    await client.next();
    const exitPromise = lesson.stop('SIGTERM');
    expect(await client.next()).toBe('bye: server shutting down');
    await client.closed;
    const exit = await exitPromise;
    expect(exit).toMatchObject({ code: 0, signal: null });
    // Each worker left on its own: the 4 s SIGKILL safety net was not needed.
    expect(lesson.output()).not.toMatch(/SIGKILL/);
  });

  it('NODE_CLUSTER_SCHED_POLICY=fair exits 2 with one line', async () => {
    const lesson = await startLesson(dir, {
      env: { PORT: '0', NODE_CLUSTER_SCHED_POLICY: 'fair' },
      waitForReady: false,
    });
    expect(await lesson.waitForExit()).toMatchObject({ code: 2 });
    expect(lesson.stderr()).toEqual(['invalid NODE_CLUSTER_SCHED_POLICY="fair": expected one of rr, none']);
  });
});

contractTests('06-net-shared-port', { protocol: 'tcp', stopsWhenAWorkerDiesBeforeListening: true });
