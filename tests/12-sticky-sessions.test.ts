import { once } from 'node:events';
import http from 'node:http';
import type { Socket as NetSocket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { runLesson, startLesson, whenTestEnds } from '@cluster-course/shared/harness';
import { fresh } from '@cluster-course/shared/harness/http';
import { lessonDir } from '@cluster-course/shared/harness/lessons';
import { socketInodesOf, tcpSockets } from '@cluster-course/shared/runtime/sockets';
import type { Socket } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import {
  type ClientOptions,
  connected,
  client as newClient,
  next,
  upgraded,
  whoami,
} from '../lessons/12-sticky-sessions/demo/clients.ts';
import { contractTests } from './contract.ts';

const dir = lessonDir('12');
const env = { PORT: '0', WORKERS: '2' };

/** The demo's client (demo/clients.ts), disconnected when its test ends. */
function client(url: string, options: ClientOptions = {}) {
  const socket = newClient(url, options);
  whenTestEnds(() => socket.disconnect());
  return socket;
}
const nextMessage = (socket: Socket) => next(socket, 'message', { signal: AbortSignal.timeout(5_000) });
const address = (i: number) => `127.0.0.${i + 2}`;
/** The server's side of every established connection to `port`, from /proc/net/tcp. */
const established = (port: number) => tcpSockets().filter((s) => s.localPort === port && s.state === '01');
/** Polls /proc every 10 ms (nothing there to wait on) until `check` gives a value; 5 s at most. */
async function until<T>(check: () => T | undefined, what: string): Promise<T> {
  for (const deadline = Date.now() + 5_000; Date.now() < deadline; await sleep(10)) {
    const value = check();
    if (value !== undefined) return value;
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.concurrent('lesson 12: sticky sessions and WebSockets in a cluster', () => {
  it('plain, polling only, 20 clients one after another: handshakes fail with "Session ID unknown"', async () => {
    const lesson = await startLesson(dir, { env: { ...env, MODE: 'plain' } });
    // One at a time, so the order is forced: round-robin deals a client's
    // next connection to the other worker, which never saw its handshake.
    let failed = 0;
    for (let i = 0; i < 20; i++) {
      const socket = client(lesson.url, { transports: ['polling'] });
      if (!(await connected(socket))) failed += 1;
      socket.disconnect();
    }
    console.log(`plain, polling only: ${failed} of 20 handshakes failed`);
    expect(failed).toBeGreaterThanOrEqual(1);
    expect(lesson.output()).toMatch(/refused a request: Session ID unknown \(sid [\w-]+\)/);
  });

  it("plain, a refused request's answer is a short 400 from a named worker, no stack", async () => {
    const lesson = await startLesson(dir, { env: { ...env, MODE: 'plain' } });
    const reply = await fresh(new URL('/socket.io/?EIO=4&transport=polling&sid=not-a-session', lesson.url));
    expect(reply.status).toBe(400);
    expect(reply.workerId).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(reply.body)).toEqual({ code: 1, message: 'Session ID unknown' });
  });

  it.each(['plain', 'sticky', 'library'])(
    '%s: the WebSocket handshake (101 Switching Protocols) names its worker too',
    async (mode) => {
      const lesson = await startLesson(dir, { env: { ...env, MODE: mode } });
      const request = http.get(new URL('/socket.io/?EIO=4&transport=websocket', lesson.url), {
        headers: {
          Connection: 'Upgrade',
          Upgrade: 'websocket',
          'Sec-WebSocket-Version': '13',
          'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
        },
      });
      const [res, socket] = (await once(request, 'upgrade', { signal: AbortSignal.timeout(5_000) })) as [
        http.IncomingMessage,
        NetSocket,
      ];
      socket.destroy();
      expect(res.statusCode).toBe(101);
      expect(Number(res.headers['x-worker-id'])).toBeGreaterThan(0);
      expect(lesson.members().map((p) => p.pid)).toContain(Number(res.headers['x-worker-pid']));
    },
  );

  it('plain, WebSocket only: every client connects, but a broadcast reaches only the clients of its worker', async () => {
    const lesson = await startLesson(dir, { env: { ...env, MODE: 'plain' } });
    const sockets: Socket[] = [];
    const workers: number[] = [];
    for (let i = 0; i < 6; i++) {
      const socket = client(lesson.url, { transports: ['websocket'] });
      expect(await connected(socket)).toBe(true);
      sockets.push(socket);
      workers.push((await whoami(socket)).workerId);
    }
    const sender = workers[0];
    const same = sockets.filter((_, i) => workers[i] === sender);
    const others = sockets.filter((_, i) => workers[i] !== sender);
    expect(others.length).toBeGreaterThan(0);
    const got = new Set<Socket>();
    for (const socket of others) socket.on('message', () => got.add(socket));
    const reached = Promise.all(same.map(nextMessage));
    sockets[0]?.emit('message', 'hello, everyone?');
    await reached; // every client of the sender's worker has it...
    await Promise.all(others.map(whoami)); // ...and one round trip later, on the others:
    expect(got.size).toBe(0);
  });

  it('sticky, polling only, 20 clients on 20 addresses: all connect, each stays on one worker, both workers used', async () => {
    const lesson = await startLesson(dir, { env: { ...env, MODE: 'sticky' } });
    const sockets = Array.from({ length: 20 }, (_, i) =>
      client(lesson.url, { localAddress: address(i), transports: ['polling'] }),
    );
    expect(await Promise.all(sockets.map(connected))).toEqual(Array(20).fill(true));
    // Three questions per client, each a new HTTP request on a new connection.
    const answers = await Promise.all(sockets.map((s) => Promise.all([whoami(s), whoami(s), whoami(s)])));
    for (const [first, ...rest] of answers) for (const later of rest) expect(later).toEqual(first);
    expect(new Set(answers.map(([first]) => first?.workerPid)).size).toBe(2);
    expect(lesson.output()).not.toMatch(/refused a request/);
  });

  it('sticky: one address always gets the same worker, and clients behind one address all share it', async () => {
    const lesson = await startLesson(dir, { env: { ...env, MODE: 'sticky' } });
    const sockets = Array.from({ length: 10 }, () => client(lesson.url, { transports: ['polling'] }));
    expect(await Promise.all(sockets.map(connected))).toEqual(Array(10).fill(true));
    const pids = new Set((await Promise.all(sockets.map(whoami))).map((who) => who.workerPid));
    expect(pids.size).toBe(1); // all on 127.0.0.1: one worker does all the work
  });

  it('library, polling then upgrade, 20 clients: all connect and upgrade; a broadcast reaches every client on every worker', async () => {
    const lesson = await startLesson(dir, { env: { ...env, MODE: 'library' } });
    const sockets = Array.from({ length: 20 }, () => client(lesson.url));
    // A client gives up an upgrade quietly, and a closed one still names its
    // last transport: keep both stories, to tell them apart if this fails.
    const events: string[] = [];
    for (const [i, s] of sockets.entries()) {
      s.io.engine.on('upgradeError', (err) => events.push(`client ${i} upgradeError: ${err.message}`));
      s.io.engine.on('close', (reason) => events.push(`client ${i} closed: ${reason}`));
    }
    expect(await Promise.all(sockets.map(connected))).toEqual(Array(20).fill(true));
    // A timeout says which step it was, and how many clients it caught (a
    // matrix run on Node.js 26 once saw one of these steps time out).
    const transports = () => sockets.map((s) => s.io.engine.transport.name);
    await Promise.all(sockets.map(upgraded)).catch((err) => {
      const refused = lesson
        .output()
        .split('\n')
        .filter((line) => line.includes('refused'));
      throw new Error(
        `not every client upgraded within 5 s: ${transports().join(' ')} (${err}); ` +
          `clients: ${events.join('; ') || 'no upgrade error, none closed'}; lesson: ${refused.join(' | ') || 'refused nothing'}`,
      );
    });
    expect(transports()).toEqual(Array(20).fill('websocket'));
    const who = await Promise.all(sockets.map(whoami));
    expect(new Set(who.map((w) => w.workerPid)).size).toBe(2);
    const got = new Set<number>();
    const received = Promise.all(
      sockets.map((s, i) =>
        nextMessage(s).then((message) => {
          got.add(i);
          return message;
        }),
      ),
    );
    sockets[0]?.emit('message', 'hello, everyone');
    const messages = (
      await received.catch((err) => {
        const missing = sockets.flatMap((_, i) => (got.has(i) ? [] : [`client ${i} (pid ${who[i]?.workerPid})`]));
        throw new Error(`the broadcast did not reach ${missing.join(', ')} within 5 s (${err})`);
      })
    ).map(([m]) => m);
    expect(messages).toEqual(
      Array(20).fill({ from: sockets[0]?.id, text: 'hello, everyone', workerId: who[0]?.workerId }),
    );
  });

  it("library: a WebSocket's first frame that reaches the primary's copy of a handed-over socket stays for the worker (the primary stops reading before the hand-off)", async () => {
    // The order a busy machine makes by chance, forced: the primary hands
    // the upgrade over and stops before it has the worker's acknowledgement
    // (so its copy of the socket is still open); the worker answers 101 and
    // stops before it reads again; the client's first frame (the probe,
    // 12 bytes) arrives; the primary runs first.
    const lesson = await startLesson(dir, { env: { ...env, MODE: 'library', WORKERS: '1' }, freezeUpgrade: true });
    const port = Number(new URL(lesson.url).port);
    const socket = client(lesson.url); // long-polling first, then the upgrade
    const [, primary] = await lesson.waitForLine(/\[test hook\] primary \(pid (\d+)\) stopped after handing/);
    const [, worker] = await lesson.waitForLine(/\[test hook\] worker 1 \(pid (\d+)\) stopped after answering/);
    try {
      // The WebSocket's connection: the worker has it (a request the primary
      // is still to read, the client's POST, for one, is the primary's alone).
      const theirs = socketInodesOf(Number(worker));
      const probe = await until(
        () => established(port).find((s) => s.rxQueue > 0 && theirs.has(s.inode)),
        'the probe to arrive',
      );
      process.kill(Number(primary), 'SIGCONT');
      // The primary lets its copy go once it has the acknowledgement; what it
      // read before that is lost. Unread, the probe is still in the kernel's queue.
      await until(
        () => !socketInodesOf(Number(primary)).has(probe.inode) || undefined,
        'the primary to close its copy',
      );
      expect(established(port).find((s) => s.inode === probe.inode)?.rxQueue).toBe(probe.rxQueue);
    } finally {
      process.kill(Number(primary), 'SIGCONT');
      process.kill(Number(worker), 'SIGCONT');
    }
    await upgraded(socket); // the worker reads the probe: the client is on the WebSocket
  });

  it('library: a burst of six new clients, dealt before either worker has said it has one, goes 3 and 3 (round-robin)', async () => {
    // The order a burst meets on a busy machine, forced: both workers are
    // stopped, so no "session <sid> is mine" can reach the primary while it
    // deals the six handshakes (one connection each, long-polling only).
    const lesson = await startLesson(dir, { env: { ...env, MODE: 'library' }, logHandOffs: true });
    const workers = (await lesson.waitForLines(/worker \d+ \(pid (\d+)\) ready/, 2)).map(([, pid]) => Number(pid));
    const handedOff = /\[test hook\] primary handed a connection to worker (\d+)/;
    const since = lesson.mark();
    for (const pid of workers) process.kill(pid, 'SIGSTOP');
    let sockets: Socket[] = [];
    try {
      sockets = Array.from({ length: 6 }, () => client(lesson.url, { transports: ['polling'] }));
      const dealt = (await lesson.waitForLines(handedOff, 6, { since })).map(([, id]) => Number(id));
      expect(dealt.sort()).toEqual([1, 1, 1, 2, 2, 2]);
    } finally {
      for (const pid of workers) process.kill(pid, 'SIGCONT');
    }
    // Each session lives where it was dealt: every client connects, 3 on each worker.
    expect(await Promise.all(sockets.map(connected))).toEqual(Array(6).fill(true));
    const who = await Promise.all(sockets.map(whoami));
    expect(who.map((w) => w.workerId).sort()).toEqual([1, 1, 1, 2, 2, 2]);
  });

  it('library: a worker killed, its clients reconnect at once (never to its replacement still starting) and get broadcasts again', async () => {
    // Worker 3, the replacement, is paused before its code runs until we let
    // it go: the reconnections are forced to happen while it is starting.
    const lesson = await startLesson(dir, { env: { ...env, MODE: 'library' }, pauseWorker: 3 });
    const sockets = Array.from({ length: 6 }, () => client(lesson.url, { reconnect: true }));
    expect(await Promise.all(sockets.map(connected))).toEqual(Array(6).fill(true));
    const before = await Promise.all(sockets.map(whoami));
    const victim = before[0]?.workerPid ?? 0;
    const orphans = sockets.filter((_, i) => before[i]?.workerPid === victim);
    expect(orphans.length).toBeGreaterThanOrEqual(2); // sessions are dealt round-robin
    const failures: string[] = [];
    for (const socket of orphans) socket.on('connect_error', (err) => failures.push(err.message));
    // Within the client's 5 s timeout: no attempt may have waited for one.
    const within = AbortSignal.timeout(4_500);
    const back = orphans.map((s) => next(s, 'disconnect').then(() => next(s, 'connect', { signal: within })));
    process.kill(victim, 'SIGKILL');
    const [, pausedPid] = await lesson.waitForLine(/\[test hook\] worker 3 \(pid (\d+)\) paused/);
    await Promise.all(back);
    expect(failures).toEqual([]); // not one attempt lost (the client would wait 5 s, 20 s by default)
    const survivor = before.find((who) => who.workerPid !== victim)?.workerPid;
    for (const who of await Promise.all(orphans.map(whoami))) expect(who.workerPid).toBe(survivor);
    process.kill(Number(pausedPid), 'SIGUSR2');
    await lesson.waitForLine(/worker 3 \(pid \d+\) ready/);
    const received = Promise.all(sockets.map(nextMessage));
    sockets[5]?.emit('message', 'still here?');
    expect((await received).map(([m]) => m.text)).toEqual(Array(6).fill('still here?'));
  });

  it('MODE=nope exits 2 with one line', async () => {
    const { exit, stderr } = await runLesson(dir, { env: { ...env, MODE: 'nope' } });
    expect(exit.code).toBe(2);
    expect(stderr.filter((line) => line.trim())).toEqual([expect.stringMatching(/MODE.*nope.*plain, sticky, library/)]);
  });
});

contractTests('12-sticky-sessions', { env: { MODE: 'plain' }, identityPath: '/' });
contractTests('12-sticky-sessions', { env: { MODE: 'sticky' }, identityPath: '/', portOpensAfterWorkers: true });
contractTests('12-sticky-sessions', { env: { MODE: 'library' }, identityPath: '/', portOpensAfterWorkers: true });
