import { connect } from 'node:net';
import { runLesson, startLesson } from '@cluster-course/shared/harness';
import { fresh, keepAlive, type Reply, startLoad } from '@cluster-course/shared/harness/http';
import { lessonDir } from '@cluster-course/shared/harness/lessons';
import { nodeChildrenOf } from '@cluster-course/shared/harness/proc';
import { listeningPids } from '@cluster-course/shared/runtime/sockets';
import { describe, expect, it } from 'vitest';
import { contractTests } from './contract.ts';

const dir = lessonDir('05');
const env = { PORT: '0', WORKERS: '3' };

describe.concurrent('lesson 05: a fork-based IPC broker', () => {
  it.skipIf(process.platform !== 'linux')(
    'only the primary holds a LISTEN socket on the port; WORKERS=3 gives 3 child processes',
    async () => {
      const lesson = await startLesson(dir, { env });
      expect(listeningPids(lesson.port)).toEqual([lesson.pid]);
      const children = nodeChildrenOf(lesson.pid);
      expect(children).toHaveLength(3);
      // ...and those children hold no listening socket at all.
      const reply = await fresh(new URL('/echo?msg=x', lesson.url));
      expect(children).toContain(reply.workerPid);
    },
  );

  it('300 concurrent echo requests each get their own text back; every worker serves a fair share', async () => {
    const lesson = await startLesson(dir, { env });
    const texts = Array.from({ length: 300 }, (_, i) => `msg-${i}-${Math.random().toString(36).slice(2)}`);
    const replies: Reply[] = [];
    let next = 0;
    async function lane() {
      while (next < texts.length) {
        const text = texts[next++] as string;
        const reply = await fresh(new URL(`/echo?msg=${text}`, lesson.url));
        expect(reply.status).toBe(200);
        const body = JSON.parse(reply.body) as { msg: string; pid: number };
        expect(body.msg).toBe(text);
        expect(body.pid).toBe(reply.workerPid);
        replies.push(reply);
      }
    }
    await Promise.all(Array.from({ length: 50 }, lane));
    expect(replies).toHaveLength(300);
    const share = new Map<number, number>();
    for (const reply of replies) share.set(reply.workerPid, (share.get(reply.workerPid) ?? 0) + 1);
    expect(new Set(share.keys())).toEqual(new Set(nodeChildrenOf(lesson.pid)));
    // Random choice: 100 each on average; below 50 is over 6 standard deviations off.
    for (const count of share.values()) expect(count).toBeGreaterThanOrEqual(50);
  });

  it('one keep-alive connection reaches several workers: the broker balances requests, not connections', async () => {
    const lesson = await startLesson(dir, { env });
    const conn = keepAlive(lesson.url);
    try {
      const pids = new Set<number>();
      for (let i = 0; i < 30; i++) pids.add((await conn.request('/echo?msg=same-connection')).workerPid);
      expect(pids.size).toBeGreaterThan(1);
    } finally {
      await conn.close();
    }
  });

  it('/hang gets 504 after BROKER_TIMEOUT_MS, while requests on other workers are answered', async () => {
    const lesson = await startLesson(dir, { env: { ...env, BROKER_TIMEOUT_MS: '800' } });
    const started = Date.now();
    const hang = fresh(new URL('/hang', lesson.url));
    await lesson.waitForLine(/GET \/hang, never answering/);
    // The hung request holds no worker: /hang only never replies, so every
    // worker, the one holding it too, goes on answering.
    for (let i = 0; i < 10; i++) {
      expect((await fresh(new URL(`/echo?msg=${i}`, lesson.url))).status).toBe(200);
    }
    const timedOut = await hang;
    const elapsed = Date.now() - started;
    expect(timedOut.status).toBe(504);
    expect(timedOut.body).toMatch(/no answer from worker \d+ within 800 ms/);
    expect(elapsed).toBeGreaterThanOrEqual(800);
    expect(timedOut.workerPid).toBeGreaterThan(0);
  });

  it('/crash gets 502; the worker is replaced; requests right after succeed', async () => {
    const lesson = await startLesson(dir, { env });
    const since = lesson.mark();
    const crash = await fresh(new URL('/crash', lesson.url), { method: 'POST' });
    expect(crash.status).toBe(502);
    expect(crash.body).toMatch(/died \(exited with error code: 70\)/);
    const after = await Promise.all(Array.from({ length: 20 }, (_, i) => fresh(new URL(`/echo?msg=${i}`, lesson.url))));
    for (const reply of after) {
      expect(reply.status).toBe(200);
      expect(reply.workerPid).not.toBe(crash.workerPid);
    }
    const [, id] = await lesson.waitForLine(
      new RegExp(`worker (\\d+) \\(pid ${crash.workerPid}\\) exited with error code: 70`),
      {
        since,
      },
    );
    const [, newId] = await lesson.waitForLine(
      new RegExp(`forked worker (\\d+) \\(pid \\d+\\) to replace worker ${id}$`),
      {
        since,
      },
    );
    await lesson.waitForLine(new RegExp(`worker ${newId} \\(pid \\d+\\) is ready`), { since });
    expect(nodeChildrenOf(lesson.pid)).toHaveLength(3);
  });

  it('a crash under concurrent load fails only the requests that worker held', async () => {
    const lesson = await startLesson(dir, { env });
    const load = startLoad(new URL('/echo?msg=load', lesson.url), { lanes: 4 });
    try {
      await load.succeeded(50);
      expect((await fresh(new URL('/crash', lesson.url), { method: 'POST' })).status).toBe(502);
      await load.succeeded(load.ok + 50);
    } finally {
      await load.stop();
    }
    // 4 lanes have at most 4 requests in flight: at most those can have been on the dead worker.
    expect(load.failed).toBeLessThanOrEqual(4);
    expect(lesson.exitInfo).toBeUndefined();
  });

  it('a client that disconnects before its answer breaks nothing', async () => {
    const lesson = await startLesson(dir, { env: { ...env, BROKER_TIMEOUT_MS: '500' } });
    const socket = connect(lesson.port, '127.0.0.1');
    socket.write('GET /hang HTTP/1.1\r\nHost: x\r\n\r\n');
    // Leave once the request has reached a worker; its 504 comes after we are gone.
    await lesson.waitForLine(/GET \/hang, never answering/);
    socket.destroy();
    await lesson.waitForLine(/the client of GET \/hang left before the answer; dropped it/);
    const reply = await fresh(new URL('/echo?msg=still-fine', lesson.url));
    expect(reply.status).toBe(200);
    expect(lesson.stderr()).toEqual([]);
  });

  it('malformed messages from a worker are logged and ignored; the request still gets its answer', async () => {
    const lesson = await startLesson(dir, { env });
    const reply = await fresh(new URL('/misbehave', lesson.url));
    expect(reply.status).toBe(200);
    await lesson.waitForLines(/ignoring a malformed message from worker \d+/, 3);
    await lesson.waitForLine(/ignoring a reply from worker \d+ to unknown request -1/);
    expect((await fresh(new URL('/echo?msg=ok', lesson.url))).status).toBe(200);
  });

  it('bad input: /work?ms=abc gets 400 JSON; BROKER_TIMEOUT_MS=soon exits 2', async () => {
    const lesson = await startLesson(dir, { env });
    const bad = await fresh(new URL('/work?ms=abc', lesson.url));
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ error: 'ms must be an integer from 0 to 10000' });
    const { exit, stderr } = await runLesson(dir, { env: { ...env, BROKER_TIMEOUT_MS: 'soon' } });
    expect(exit.code).toBe(2);
    expect(stderr).toEqual(['invalid BROKER_TIMEOUT_MS="soon": expected an integer from 1 to 600000']);
  });
});

contractTests('05-fork-broker', { portOpensAfterWorkers: true, workerIdEnv: 'BROKER_WORKER_ID' });
