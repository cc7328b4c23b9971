import { runLesson, startLesson } from '@cluster-course/shared/harness';
import { fresh, keepAlive, type Load, type Reply, startLoad } from '@cluster-course/shared/harness/http';
import { lessonDir } from '@cluster-course/shared/harness/lessons';
import { isAlive, nodeChildrenOf, waitForGone } from '@cluster-course/shared/harness/proc';
import { describe, expect, it } from 'vitest';
import { contractTests } from './contract.ts';

const dir = lessonDir('08');

/** The errors undici reports when the server closed a reused keep-alive socket. */
function closedBySever(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE';
}

describe.concurrent('lesson 08: graceful shutdown', () => {
  it('a /slow request in flight when SIGTERM arrives completes with 200, then exit 0', async () => {
    const lesson = await startLesson(dir, { env: { PORT: '0', WORKERS: '2' } });
    const slow = fresh(new URL('/slow?ms=1500', lesson.url));
    await lesson.waitForLine(/GET \/slow: holding this request for 1500 ms/);
    lesson.signal('SIGTERM');
    const reply = await slow;
    expect(reply.status).toBe(200);
    expect(reply.body).toMatch(/waited 1500 ms/);
    expect(reply.headers.connection).toBe('close');
    expect(await lesson.waitForExit(5_000)).toMatchObject({ code: 0, signal: null });
  });

  it('idle keep-alive connections do not hold the shutdown', async () => {
    const lesson = await startLesson(dir, { env: { PORT: '0', WORKERS: '2', SHUTDOWN_TIMEOUT_MS: '10000' } });
    const conns = [keepAlive(lesson.url), keepAlive(lesson.url), keepAlive(lesson.url)];
    try {
      // Three open, idle connections (the server's keep-alive timeout is 5 s).
      for (const conn of conns) expect((await conn.request('/')).status).toBe(200);
      lesson.signal('SIGTERM');
      const exit = await lesson.waitForExit(5_000);
      expect(exit).toMatchObject({ code: 0, signal: null });
      // Held by them, the workers would wait for the server's 5 s keep-alive
      // timeout to close them; closed at once, the stop takes a fraction of that.
      expect(exit.ms).toBeLessThan(4_000);
      expect(lesson.output()).not.toMatch(/killing it/);
    } finally {
      await Promise.all(conns.map((c) => c.close().catch(() => {})));
    }
  });

  it('a request still running at SHUTDOWN_TIMEOUT_MS is cut: the worker is killed and the exit code is 1', async () => {
    const lesson = await startLesson(dir, { env: { PORT: '0', WORKERS: '1', SHUTDOWN_TIMEOUT_MS: '1000' } });
    const hung = fresh(new URL('/slow?ms=60000', lesson.url)).then(
      (reply) => reply,
      (err: unknown) => err,
    );
    await lesson.waitForLine(/GET \/slow: holding this request for 60000 ms/);
    lesson.signal('SIGTERM');
    const exit = await lesson.waitForExit(5_000);
    expect(exit).toMatchObject({ code: 1, signal: null });
    expect(exit.ms).toBeGreaterThanOrEqual(1_000);
    expect(lesson.output()).toMatch(/still busy after 1000 ms: killing it/);
    expect(await hung).toBeInstanceOf(Error);
  });

  it('bad input: /slow?ms=abc gets 400; SHUTDOWN_TIMEOUT_MS=never exits 2', async () => {
    const lesson = await startLesson(dir, { env: { PORT: '0', WORKERS: '1' } });
    const bad = await fresh(new URL('/slow?ms=abc', lesson.url));
    expect(bad.status).toBe(400);
    expect(bad.body).toBe('ms must be an integer from 0 to 600000\n');
    const { exit, stderr } = await runLesson(dir, { env: { PORT: '0', SHUTDOWN_TIMEOUT_MS: 'never' } });
    expect(exit.code).toBe(2);
    expect(stderr).toEqual(['invalid SHUTDOWN_TIMEOUT_MS="never": expected an integer from 1 to 600000']);
  });
});

describe.concurrent('lesson 08: rolling restart on SIGHUP', () => {
  it('replaces every worker under continuous load with zero failed requests; the primary keeps its pid', async () => {
    const lesson = await startLesson(dir, { env: { PORT: '0', WORKERS: '2' } });
    const oldWorkers = nodeChildrenOf(lesson.pid);
    expect(oldWorkers).toHaveLength(2);
    const isNew = (pid: number) => pid > 0 && !oldWorkers.includes(pid);

    // Two clients on fresh connections, two on one keep-alive connection each.
    // A keep-alive client retries once when the server closed its reused
    // socket between two requests: HTTP allows that for idempotent requests.
    let retries = 0;
    const keepAliveLoad = () => {
      const conn = keepAlive(lesson.url);
      const send = async (): Promise<Reply> => {
        try {
          return await conn.request('/');
        } catch (err) {
          if (!closedBySever(err)) throw err;
          retries += 1;
          return conn.request('/');
        }
      };
      return { conn, load: startLoad(lesson.url, { lanes: 1, send }) };
    };
    const freshLoad = startLoad(lesson.url, { lanes: 2 });
    const kept = [keepAliveLoad(), keepAliveLoad()];
    const loads: Load[] = [freshLoad, ...kept.map((k) => k.load)];
    try {
      await Promise.all(loads.map((load) => load.succeeded(20)));
      const since = lesson.mark();
      lesson.signal('SIGHUP');
      await lesson.waitForLine(/rolling restart complete: 2 workers replaced/, { since, timeoutMs: 20_000 });
      // Every client, keep-alive ones too, is now served by the new workers.
      await Promise.all(loads.map((load) => load.answeredBy(isNew)));
    } finally {
      await Promise.all(loads.map((load) => load.stop()));
      await Promise.all(kept.map((k) => k.conn.close().catch(() => {})));
    }
    for (const load of loads) {
      expect(load.failed, load.errors.join('; ')).toBe(0);
      expect(load.ok).toBeGreaterThan(20);
    }
    expect(await waitForGone(oldWorkers, 1_000)).toBe(true);
    expect(isAlive(lesson.pid)).toBe(true);
    const newWorkers = nodeChildrenOf(lesson.pid);
    expect(newWorkers).toHaveLength(2);
    expect(newWorkers.some((pid) => oldWorkers.includes(pid))).toBe(false);
    expect(retries).toBeLessThanOrEqual(4);
  });

  it('a second SIGHUP during a restart is ignored with a log line', async () => {
    const lesson = await startLesson(dir, { env: { PORT: '0', WORKERS: '2' } });
    const since = lesson.mark();
    lesson.signal('SIGHUP');
    await lesson.waitForLine(/SIGHUP: rolling restart of 2 workers/, { since });
    lesson.signal('SIGHUP');
    await lesson.waitForLine(/a rolling restart is already running; ignoring this one/, { since });
    await lesson.waitForLine(/rolling restart complete/, { since, timeoutMs: 20_000 });
    const forks = lesson.lines.slice(since).filter((l) => /forked worker .* to take over/.test(l.text));
    expect(forks).toHaveLength(2);
  });

  it('SIGTERM during a restart shuts down cleanly', async () => {
    const lesson = await startLesson(dir, { env: { PORT: '0', WORKERS: '2' } });
    const since = lesson.mark();
    lesson.signal('SIGHUP');
    await lesson.waitForLine(/forked worker \d+ \(pid \d+\) to take over from worker \d+ \(1\/2\)/, { since });
    const pids = lesson.members().map((p) => p.pid);
    lesson.signal('SIGTERM');
    expect(await lesson.waitForExit(5_000)).toMatchObject({ code: 0, signal: null });
    expect(lesson.output()).toContain('SIGTERM during the rolling restart: it stops here');
    expect(await waitForGone(pids, 2_000)).toBe(true);
  });

  it('WORKERS=1: the restart still never leaves the port without a worker', async () => {
    const lesson = await startLesson(dir, { env: { PORT: '0', WORKERS: '1' } });
    const [old] = nodeChildrenOf(lesson.pid);
    const load = startLoad(lesson.url, { lanes: 2 });
    try {
      await load.succeeded(10);
      lesson.signal('SIGHUP');
      await lesson.waitForLine(/rolling restart complete: 1 workers replaced/, { timeoutMs: 20_000 });
      await load.answeredBy((pid) => pid > 0 && pid !== old);
    } finally {
      await load.stop();
    }
    expect(load.failed, load.errors.join('; ')).toBe(0);
  });
});

contractTests('08-graceful-restart');
