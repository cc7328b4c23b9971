import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';
import { runLesson, startLesson } from '@cluster-course/shared/harness';
import { fresh, freshMany } from '@cluster-course/shared/harness/http';
import { lessonDir } from '@cluster-course/shared/harness/lessons';
import { nodeChildrenOf } from '@cluster-course/shared/harness/proc';
import { describe, expect, it } from 'vitest';
import { contractTests } from './contract.ts';

const dir = lessonDir('03');
const env = { PORT: '0', WORKERS: '2' };
const json = { 'content-type': 'application/json' };

/** A client error must be short JSON: no stack trace, no HTML page. */
function expectShortJsonError(reply: { headers: Record<string, unknown>; body: string }, error: string) {
  expect(String(reply.headers['content-type'])).toMatch(/^application\/json/);
  expect(JSON.parse(reply.body)).toMatchObject({ error });
  expect(reply.body.length).toBeLessThan(200);
  expect(reply.body).not.toMatch(/<html|<pre|\bat .*\.(ts|js):\d+/i);
}

describe.concurrent('lesson 03: Express in a cluster', () => {
  it('GET /cluster answers exactly "Running on worker with id ==> <id>", from every worker', async () => {
    const lesson = await startLesson(dir, { env });
    const replies = await freshMany(new URL('/cluster', lesson.url), 4, 1);
    for (const reply of replies) {
      expect(reply.status).toBe(200);
      expect(reply.body).toBe(`Running on worker with id ==> ${reply.workerId}`);
    }
    expect(new Set(replies.map((r) => r.workerId)).size).toBe(2);
  });

  it('GET / answers JSON with the worker id and pid; POST /echo echoes a JSON body', async () => {
    const lesson = await startLesson(dir, { env });
    const root = await fresh(lesson.url);
    expect(JSON.parse(root.body)).toEqual({
      worker: root.workerId,
      pid: root.workerPid,
      message: `Hello from worker ${root.workerId}`,
    });
    const payload = { greeting: 'hi', list: [1, 2, 3], nested: { ok: true } };
    const echo = await fresh(new URL('/echo', lesson.url), {
      method: 'POST',
      headers: json,
      body: JSON.stringify(payload),
    });
    expect(echo.status).toBe(200);
    expect(JSON.parse(echo.body)).toEqual({ worker: echo.workerId, pid: echo.workerPid, echo: payload });
  });

  it('bad input gets short JSON errors: 404, 400 malformed JSON, 413 over 100 kB, 415, 500 without internals', async () => {
    const lesson = await startLesson(dir, { env });
    const at = (path: string) => new URL(path, lesson.url);

    const missing = await fresh(at('/nope'));
    expect(missing.status).toBe(404);
    expectShortJsonError(missing, 'not found');

    const malformed = await fresh(at('/echo'), { method: 'POST', headers: json, body: '{"oops": ' });
    expect(malformed.status).toBe(400);
    expectShortJsonError(malformed, 'malformed JSON body');

    const big = JSON.stringify({ blob: 'x'.repeat(101 * 1024) });
    const tooLarge = await fresh(at('/echo'), { method: 'POST', headers: json, body: big });
    expect(tooLarge.status).toBe(413);
    expectShortJsonError(tooLarge, 'body too large (limit 100 kB)');

    const notJson = await fresh(at('/echo'), { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hi' });
    expect(notJson.status).toBe(415);

    const boom = await fresh(at('/boom'));
    expect(boom.status).toBe(500);
    expectShortJsonError(boom, 'internal error');
    expect(boom.body).not.toContain('something broke');
    // ...while the log keeps the details, and the worker lives on.
    await lesson.waitForLine(/GET \/boom failed/);
    expect((await fresh(at('/'))).status).toBe(200);

    // Every error still says who answered.
    for (const reply of [missing, malformed, tooLarge, notJson, boom]) expect(reply.workerPid).toBeGreaterThan(0);
  });

  it('GET /visits counts per worker: each process has its own memory', async () => {
    const lesson = await startLesson(dir, { env });
    const replies = await freshMany(new URL('/visits', lesson.url), 8, 1);
    const counts = new Map<number, number[]>();
    for (const reply of replies) {
      const body = JSON.parse(reply.body) as { pid: number; visits: number };
      expect(body.pid).toBe(reply.workerPid);
      counts.set(body.pid, [...(counts.get(body.pid) ?? []), body.visits]);
    }
    // Two counters, each counting only its own visits: 1, 2, 3, 4 twice, never 8.
    expect([...counts.values()]).toEqual([
      [1, 2, 3, 4],
      [1, 2, 3, 4],
    ]);
  });

  describe('src/app.ts alone: one process, no cluster', () => {
    it('prints a ready line and serves the same app, with worker id 0', async () => {
      const app = await startLesson(dir, { entry: 'src/app.ts', env: { PORT: '0' } });
      expect(app.stdout().find((l) => /\bready\b/.test(l))).toContain('1 process, no cluster');
      expect(nodeChildrenOf(app.pid)).toEqual([]);
      const reply = await fresh(new URL('/cluster', app.url));
      expect(reply.body).toBe('Running on worker with id ==> 0');
      expect(reply.workerPid).toBe(app.pid);
      const missing = await fresh(new URL('/nope', app.url));
      expectShortJsonError(missing, 'not found');
      const exit = await app.stop('SIGTERM');
      expect(exit).toMatchObject({ code: 0, signal: null });
    });

    it('with the port in use: one line naming the port and exit 1; bad env: exit 2', async () => {
      const blocker = createServer().listen(0, '127.0.0.1');
      await once(blocker, 'listening');
      const { port } = blocker.address() as AddressInfo; // a TCP server: never a string or null here
      try {
        const busy = await runLesson(dir, { entry: 'src/app.ts', env: { PORT: String(port) } });
        expect(busy.exit.code).toBe(1);
        expect(busy.stderr).toEqual([expect.stringContaining(`port ${port} is already in use`)]);
      } finally {
        blocker.close();
      }
      const bad = await runLesson(dir, { entry: 'src/app.ts', env: { PORT: 'eighty' } });
      expect(bad.exit.code).toBe(2);
      expect(bad.stderr).toEqual(['invalid PORT="eighty": expected an integer from 0 to 65535']);
    });
  });
});

contractTests('03-express-cluster');
