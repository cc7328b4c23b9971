import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runLesson, startLesson } from '@cluster-course/shared/harness';
import { fresh, freshMany } from '@cluster-course/shared/harness/http';
import { lessonDir } from '@cluster-course/shared/harness/lessons';
import { isAlive, waitForGone } from '@cluster-course/shared/harness/proc';
import { stateRoot, sweepStaleStateDirs } from '@cluster-course/shared/runtime/state-dir';
import { afterAll, describe, expect, it } from 'vitest';
import { header, instanceInfo, instanceOf, killInstance, steadyStream } from '../lessons/13-nginx/demo/observe.ts';
import { findNginx, missingNginx } from '../lessons/13-nginx/src/nginx/binary.ts';
import { contractTests } from './contract.ts';

const dir = lessonDir('13');
const nginx = findNginx();
// nginx is a system package: without it these tests cannot run, and say so.
if (!nginx) console.warn(`lesson 13: tests with the real nginx skipped: ${missingNginx()}`);

async function start(env: Record<string, string>) {
  return startLesson(dir, { env: { PORT: '0', WORKERS: '1', ...env }, readyTimeoutMs: 40_000 });
}

// A test that starts the engines may wait 40 s for the ready line alone (a busy
// machine starts nginx and every instance slowly); its own time must cover that
// wait and the checks after it, or the ready wait's message is never seen.
const engines = { timeout: 60_000 };

describe('lesson 13: nginx in front of clustered instances', () => {
  it('without nginx (NGINX=/nonexistent/nginx): one line saying how to install it, exit 2', async () => {
    const { exit, stderr, stdout } = await runLesson(dir, { env: { PORT: '0', NGINX: '/nonexistent/nginx' } });
    expect(exit.code).toBe(2);
    expect(stderr.filter((l) => l.trim())).toHaveLength(1);
    expect(stderr[0]).toContain('apt-get install nginx');
    expect(stdout.join('\n')).not.toMatch(/\bready\b/);
  });

  it.each([
    ['INSTANCES', '0'],
    ['INSTANCES', '9'],
    ['BALANCE', 'random'],
    ['KEEPALIVE', 'lots'],
  ])('%s=%s exits 2 with one line naming it', async (name, value) => {
    const { exit, stderr } = await runLesson(dir, { env: { PORT: '0', [name]: value } });
    expect(exit.code).toBe(2);
    expect(stderr.filter((l) => l.trim())).toHaveLength(1);
    expect(stderr[0]).toContain(name);
  });
});

describe.skipIf(!nginx)('lesson 13 with the real nginx', { ...engines, concurrent: true }, () => {
  it('INSTANCES=3: fresh requests through nginx reach every instance; nginx and the instances are the lesson’s', async () => {
    const lesson = await start({ INSTANCES: '3' });
    const replies = await freshMany(lesson.url, 9, 1);
    expect(new Set(replies.map(instanceOf))).toEqual(new Set([1, 2, 3]));
    const members = lesson.members();
    for (const reply of replies) expect(members.map((p) => p.pid)).toContain(reply.workerPid);
    expect(members.filter((p) => p.comm === 'nginx').length).toBeGreaterThanOrEqual(2); // master and worker
    expect(existsSync(join(stateRoot('nginx'), String(lesson.pid), 'nginx.conf'))).toBe(true);
    lesson.signal('SIGTERM');
    expect((await lesson.waitForExit(5_000)).code).toBe(0);
    expect(existsSync(join(stateRoot('nginx'), String(lesson.pid)))).toBe(false);
  });

  it('BALANCE=hash: each client address meets one instance every time; 12 addresses use more than one', async () => {
    const lesson = await start({ INSTANCES: '3', BALANCE: 'hash' });
    const used = new Set<number>();
    for (let a = 2; a < 14; a++) {
      const replies = await freshMany(lesson.url, 3, 1, { localAddress: `127.0.0.${a}` });
      const seen = new Set(replies.map(instanceOf));
      expect(seen.size, `127.0.0.${a}`).toBe(1);
      for (const n of seen) used.add(n);
    }
    expect(used.size).toBeGreaterThan(1);
  });

  it('BALANCE=least_conn: while one instance holds a slow request, fresh requests go to the other', async () => {
    const lesson = await start({ INSTANCES: '2', BALANCE: 'least_conn' });
    const slow = fresh(new URL('/slow?ms=4000', lesson.url)); // outlasts the 4 GETs below, even on a loaded machine
    slow.catch(() => {}); // awaited below; a failed expect before must not leave it unhandled
    const [, busy] = await lesson.waitForLine(/^\[instance (\d)\] .*GET \/slow/);
    const replies = await freshMany(lesson.url, 4, 1);
    expect(replies.map(instanceOf)).toEqual(Array(4).fill(busy === '1' ? 2 : 1));
    expect((await slow).status).toBe(200);
  });

  it.each([
    ['8', 1],
    ['0', 2],
  ])(
    'KEEPALIVE=%s, 1 instance of 2 workers: 8 requests through nginx meet %i worker(s)',
    async (keepalive, workers) => {
      const lesson = await start({ INSTANCES: '1', WORKERS: '2', KEEPALIVE: keepalive });
      const replies = await freshMany(lesson.url, 8, 1);
      expect(new Set(replies.map((r) => r.workerPid)).size).toBe(workers);
    },
  );
});

describe.skipIf(!nginx)('lesson 13: failover and rolling deploy', { ...engines, concurrent: true }, () => {
  it('SIGKILL of a whole instance under a steady stream of GETs: zero failed, its GET in flight answered by another, nginx routes around it', async () => {
    const lesson = await start({ INSTANCES: '3' });
    // Which instances each request was sent to, by the order requests were started.
    const upstreams: { started: number; tried: string }[] = [];
    let sent = 0;
    const load = steadyStream(lesson.url, async () => {
      const started = sent++;
      const reply = await fresh(lesson.url, { timeoutMs: 5_000 });
      upstreams.push({ started, tried: header(reply, 'x-upstream') });
      return reply;
    });
    await load.succeeded(10);
    const slow = fresh(new URL('/slow?ms=1500', lesson.url), { timeoutMs: 15_000 });
    slow.catch(() => {}); // awaited below
    const [, n] = await lesson.waitForLine(/^\[instance (\d)\] .*GET \/slow/);
    const victim = instanceInfo(lesson, Number(n));
    const since = lesson.lines.length;
    const pids = killInstance(victim.primary);
    await lesson.waitForLine(new RegExp(`instance ${n} \\(pid ${victim.primary}\\) exited \\(SIGKILL\\)`), { since });
    // nginx's own word that it took the instance out (max_fails=1, fail_timeout=10s).
    await lesson.waitForLine(/\[nginx\] .*upstream server temporarily disabled/, { since });
    const after = sent; // requests started from now on
    await load.succeeded(load.ok + 20);
    await load.stop();
    expect(load.errors).toEqual([]);
    expect(load.failed).toBe(0);
    const reply = await slow;
    expect(reply.status).toBe(200);
    expect(instanceOf(reply)).not.toBe(Number(n));
    expect(header(reply, 'x-upstream')).toMatch(new RegExp(`^127\\.0\\.0\\.1:${victim.port}, `)); // tried, then retried
    // From then on (well within fail_timeout) nginx does not even try the dead instance.
    const later = upstreams.filter((u) => u.started >= after);
    expect(later.length).toBeGreaterThanOrEqual(18);
    expect(later.filter((u) => u.tried.includes(`:${victim.port}`))).toEqual([]);
    expect(await waitForGone(pids, 3_000)).toBe(true);
  });

  it('a POST in flight on an instance that dies is not retried: the client gets 502 from nginx', async () => {
    const lesson = await start({ INSTANCES: '2' });
    const post = fresh(new URL('/slow?ms=5000', lesson.url), { method: 'POST', timeoutMs: 15_000 });
    post.catch(() => {}); // awaited below
    const [, n] = await lesson.waitForLine(/^\[instance (\d)\] .*POST \/slow/);
    const victim = instanceInfo(lesson, Number(n));
    killInstance(victim.primary);
    const reply = await post;
    expect(reply.status).toBe(502);
    expect(header(reply, 'x-upstream')).toBe(`127.0.0.1:${victim.port}`); // one try only
    expect(reply.body).not.toMatch(/\n\s+at /);
  });

  it('SIGHUP: a rolling deploy under a steady stream of GETs: zero failed, every instance replaced', async () => {
    const lesson = await start({ INSTANCES: '3' });
    const before = [1, 2, 3].map((n) => instanceInfo(lesson, n));
    const load = steadyStream(lesson.url);
    await load.succeeded(10);
    const since = lesson.lines.length;
    lesson.signal('SIGHUP');
    await lesson.waitForLine(/rolling deploy complete/, { since, timeoutMs: 60_000 });
    const after = [1, 2, 3].map((n) => instanceInfo(lesson, n));
    await load.succeeded(load.ok + 10);
    await load.stop();
    expect(load.errors).toEqual([]);
    expect(load.failed).toBe(0);
    for (const [i, old] of before.entries()) {
      expect(after[i]?.primary).not.toBe(old.primary);
      expect(after[i]?.port).toBe(old.port); // same port: nginx's configuration names it
    }
    expect(
      await waitForGone(
        before.map((b) => b.primary),
        5_000,
      ),
    ).toBe(true);
    // Every instance serves again, through nginx.
    const replies = await freshMany(lesson.url, 9, 1);
    expect(new Set(replies.map(instanceOf))).toEqual(new Set([1, 2, 3]));
  }, 90_000);

  it('SIGHUP with two of three instances dead: the dead ones are replaced first, so the live one is never the last out; zero failed', async () => {
    const lesson = await start({ INSTANCES: '3' });
    // Instance 1 alone stays alive: first in line, a deploy in plain order would
    // take it out while nothing else serves.
    for (const n of [2, 3]) {
      const since = lesson.lines.length;
      const { primary } = instanceInfo(lesson, n);
      killInstance(primary);
      await lesson.waitForLine(new RegExp(`instance ${n} \\(pid ${primary}\\) exited \\(SIGKILL\\)`), { since });
    }
    const load = steadyStream(lesson.url);
    await load.succeeded(10);
    const since = lesson.lines.length;
    lesson.signal('SIGHUP');
    await lesson.waitForLine(/rolling deploy complete/, { since, timeoutMs: 60_000 });
    await load.succeeded(load.ok + 10);
    await load.stop();
    expect(load.errors).toEqual([]);
    expect(load.failed).toBe(0);
    const order = lesson.lines
      .slice(since)
      .flatMap((l) => l.text.match(/instance (\d) \(pid \d+\): out of nginx's rotation/)?.[1] ?? []);
    expect(order).toEqual(['2', '3', '1']);
    const replies = await freshMany(lesson.url, 9, 1);
    expect(new Set(replies.map(instanceOf))).toEqual(new Set([1, 2, 3]));
  }, 90_000);
});

describe.skipIf(!nginx)('lesson 13: nothing left behind', engines, () => {
  it('SIGKILL of the lesson: nginx (master and worker) and every instance gone within 3 s; the next start sweeps its prefix', async () => {
    const lesson = await start({ INSTANCES: '2' });
    const members = lesson.members();
    const nginxPids = members.filter((p) => p.comm === 'nginx').map((p) => p.pid);
    expect(nginxPids.length).toBeGreaterThanOrEqual(2);
    lesson.signal('SIGKILL');
    await lesson.exited;
    // nginx does not notice its parent die; the watchdog's pipe does (src/nginx/process.ts).
    expect(
      await waitForGone(
        members.map((p) => p.pid),
        3_000,
      ),
    ).toBe(true);
    const prefix = join(stateRoot('nginx'), String(lesson.pid));
    expect(existsSync(prefix)).toBe(true); // a killed lesson cannot clean up...
    const next = await start({ INSTANCES: '1' });
    expect(existsSync(prefix)).toBe(false); // ...the next one does
    expect(existsSync(join(stateRoot('nginx'), String(next.pid)))).toBe(true);
  });
});

// No prefix of these tests is left on disk: the harness's cleanup kills
// lessons outright, and their prefixes go as the next start would sweep them.
afterAll(() => {
  sweepStaleStateDirs('nginx');
  const root = stateRoot('nginx');
  const left = existsSync(root) ? readdirSync(root).map(Number) : [];
  expect(left.filter((pid) => !isAlive(pid))).toEqual([]);
});

if (nginx) contractTests('13-nginx', { env: { INSTANCES: '1' }, portOpensAfterWorkers: true });
