import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { startLesson } from '@cluster-course/shared/harness';
import { fresh, freshMany, startLoad } from '@cluster-course/shared/harness/http';
import { lessonDir } from '@cluster-course/shared/harness/lessons';
import { nodeChildrenOf, waitForGone } from '@cluster-course/shared/harness/proc';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_PORT, PORT_IN_USE_EXIT } from '../lessons/11-pm2/src/config.ts';
import { HOMES, sweepStaleHomes } from '../lessons/11-pm2/src/home.ts';
import { contractTests } from './contract.ts';

const dir = lessonDir('11');
const env = { PORT: '0', WORKERS: '2' };
const started: number[] = [];

async function start(extra: Record<string, string> = {}) {
  const lesson = await startLesson(dir, { env: { ...env, ...extra } });
  started.push(lesson.pid);
  return lesson;
}

// Side by side: each claim runs its own PM2, in its own home, on port 0.
describe('lesson 11: the same cluster under PM2', { concurrent: true }, () => {
  it("ecosystem.config.cjs writes out src/config.ts's exit code for a taken port and its default port", () => {
    const saved = process.env.PORT;
    delete process.env.PORT; // the file reads PORT when it is loaded
    try {
      const [app] = createRequire(import.meta.url)(join(dir, 'ecosystem.config.cjs')).apps;
      expect(app.stop_exit_codes).toEqual([PORT_IN_USE_EXIT]);
      expect(app.env.PORT).toBe(String(DEFAULT_PORT));
    } finally {
      if (saved !== undefined) process.env.PORT = saved;
    }
  });

  it("WORKERS=2: both instances send PM2 'ready', then the ready line comes with 2 app processes, children of the lesson, reached by fresh connections", async () => {
    const lesson = await start();
    expect(lesson.stdout().filter((l) => /^ready:/.test(l))).toHaveLength(1);
    // wait_ready's handshake itself, not only its outcome: PM2 also counts
    // a silent instance online, once listen_timeout (8 s) runs out.
    const upToReady = lesson.stdout().slice(
      0,
      lesson.stdout().findIndex((l) => /^ready:/.test(l)),
    );
    const sent = upToReady.flatMap((l) => /instance (\d+) \(pid \d+\) sent 'ready'/.exec(l)?.[1] ?? []);
    expect(sent.sort(), "instances that sent 'ready' before the ready line").toEqual(['0', '1']);
    expect(lesson.stdout().join('\n')).not.toMatch(/never sent 'ready'/);
    expect(lesson.stdout().filter((l) => /App \[lesson-11:\d\] online/.test(l))).toHaveLength(2);
    const replies = await freshMany(lesson.url, 8, 1);
    const pids = new Set(replies.map((r) => r.workerPid));
    expect(pids.size).toBe(2);
    expect(new Set(replies.map((r) => r.workerId))).toEqual(new Set([0, 1])); // NODE_APP_INSTANCE
    for (const pid of pids) expect(nodeChildrenOf(lesson.pid)).toContain(pid);
    // PM2 keeps its state in the lesson's private home.
    expect(existsSync(join(HOMES, String(lesson.pid)))).toBe(true);
  });

  it('SIGHUP under a steady stream of fresh-connection GETs: pm2 reload replaces every pid, zero failed requests', async () => {
    const lesson = await start();
    const old = new Set((await freshMany(lesson.url, 6, 1)).map((r) => r.workerPid));
    const load = startLoad(lesson.url, { lanes: 2 });
    await load.succeeded(20);
    const since = lesson.lines.length;
    lesson.signal('SIGHUP');
    const [, before, after] = await lesson.waitForLine(/reload done: pids (.+) replaced by (.+)/, {
      since,
      timeoutMs: 20_000,
    });
    const fresh2 = new Set((after ?? '').split(', ').map(Number));
    await load.answeredBy((pid) => fresh2.has(pid));
    await load.stop();
    expect(load.errors).toEqual([]);
    expect(load.failed).toBe(0);
    expect(new Set((before ?? '').split(', ').map(Number))).toEqual(old);
    for (const pid of fresh2) expect(old.has(pid)).toBe(false);
    expect(await waitForGone([...old], 5_000)).toBe(true);
    const now = new Set((await freshMany(lesson.url, 6, 1)).map((r) => r.workerPid));
    expect(now).toEqual(fresh2);
  });

  it('POST /crash: PM2 restarts the instance, serving again within 5 s', async () => {
    const lesson = await start();
    const since = lesson.lines.length;
    const crash = await fresh(new URL('/crash', lesson.url), { method: 'POST' });
    expect(crash.status).toBe(202);
    const crashedAt = Date.now();
    expect(await waitForGone([crash.workerPid], 5_000)).toBe(true);
    const [, pid] = await lesson.waitForLine(
      new RegExp(`\\[instance ${crash.workerId}\\] \\(pid (\\d+)\\) listening`),
      {
        since,
        timeoutMs: 5_000,
      },
    );
    expect(Number(pid)).not.toBe(crash.workerPid);
    const replies = await freshMany(lesson.url, 6, 1);
    expect(replies.map((r) => r.workerPid)).toContain(Number(pid));
    expect(Date.now() - crashedAt).toBeLessThan(5_000);
    expect(lesson.output()).toMatch(/crashed on purpose/);
  });

  it('a stop while instance 2 is still starting and instance 1 hangs: PM2 starts 2 again mid-delete; the lesson kills it, says so, exit 0, nothing left', async () => {
    // The order forced: instance 2 is held before its code runs, instance 1
    // is stopped (SIGSTOP), so the delete waits kill_timeout (3 s) for it. The
    // stop's SIGINT ends instance 2 before it was ready; PM2 marks it online
    // and starts it again 100 ms later, mid-delete (README, "Two kinds of PM2 line").
    const lesson = await startLesson(dir, { env, holdWorker: 2, waitForReady: false });
    started.push(lesson.pid);
    await lesson.waitForLine(/\[test hook\] worker 2 \(pid \d+\) held/);
    const [, hanging] = await lesson.waitForLine(/\(pid (\d+)\) listening on port/);
    process.kill(Number(hanging), 'SIGSTOP');
    const before = lesson.members().map((p) => p.pid);
    lesson.signal('SIGTERM');
    expect(await lesson.waitForExit(10_000), lesson.transcript()).toMatchObject({ code: 0, signal: null });
    // PM2 did start instance 2 again, after the stop began...
    expect(lesson.output().match(/App \[lesson-11:1\] starting in -cluster mode-/g)).toHaveLength(2);
    // ...and the lesson killed that new process itself before it exited.
    const said = /PM2 started instance\(s\) again during the delete \(pid (\d+)\): killed$/;
    const line = lesson.stdout().find((l) => said.test(l));
    expect(line, lesson.transcript()).toBeDefined();
    const restarted = Number(said.exec(line ?? '')?.[1]);
    expect(before).not.toContain(restarted);
    expect(lesson.stdout().indexOf(line ?? '')).toBeLessThan(
      lesson.stdout().findIndex((l) => /stopped; exit code 0/.test(l)),
    );
    expect(lesson.members()).toEqual([]);
    expect(lesson.stderr().join('\n')).not.toMatch(/EPIPE|Unhandled 'error'/);
  }, 20_000);

  // Alone, after the others: any start of the lesson (another claim's, side
  // by side) removes the home a SIGKILLed one left, which this claim must see first.
  it.sequential('PM2_HOME: a stopped lesson removes its own; one left by a SIGKILLed lesson goes at the next start', async () => {
    const first = await start({ WORKERS: '1' });
    const home = join(HOMES, String(first.pid));
    expect(existsSync(home)).toBe(true);
    first.signal('SIGKILL');
    await first.exited;
    expect(existsSync(home)).toBe(true); // nobody could remove it
    const second = await start({ WORKERS: '1' });
    expect(existsSync(home)).toBe(false);
    // A stopped lesson removes its own home.
    expect(existsSync(join(HOMES, String(second.pid)))).toBe(true);
    expect(await second.stop('SIGTERM')).toMatchObject({ code: 0 });
    expect(existsSync(join(HOMES, String(second.pid)))).toBe(false);
  });
});

contractTests('11-pm2', { idsFromZero: true, startsInSequence: true });

// No PM2_HOME of these tests is left on disk. A stopped lesson removed its
// own; one killed outright (the harness's cleanup kills, too) cannot, and
// its home goes as at the next start of the lesson.
afterAll(async () => {
  expect(await waitForGone(started, 5_000)).toBe(true);
  sweepStaleHomes();
  const left = existsSync(HOMES) ? readdirSync(HOMES).map(Number) : [];
  expect(left.filter((pid) => started.includes(pid))).toEqual([]);
});
