// Demo of lesson 11: PM2 running the app, its reload and its restart under
// the same load, and scaling, all against the real PM2.
import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';
import { startLesson } from '@cluster-course/shared/harness';
import { freshMany, startLoad } from '@cluster-course/shared/harness/http';
import { expect, replay, say, step, stopAndShow } from '@cluster-course/shared/harness/narrate';
import { pm2Cli } from './pm2-cli.ts';

const dir = new URL('..', import.meta.url).pathname;

async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  probe.close();
  await once(probe, 'close');
  return port;
}
// One instance: where reload and restart differ most. (With several, PM2
// restarts them one or two at a time, and the others serve meanwhile.)
// A fixed port: with PORT=0, a restart that leaves no instance for a moment
// brings the app back on another random port (lesson 04's listen(0)).
const lesson = await startLesson(dir, { env: { PORT: String(await freePort()), WORKERS: '1' } });
try {
  step('WORKERS=1 pnpm lesson 11: PM2 starts the instance and waits for its ready');
  let mark = replay(lesson);
  const home = (await lesson.waitForLine(/PM2_HOME=(\S+)/))[1] ?? '';
  const pids = async () => new Set((await freshMany(lesson.url, 8, 1)).map((r) => r.workerPid));

  /** A steady stream of GETs, each on a fresh connection, while `action` runs; then the count. */
  async function underLoad(what: string, action: () => Promise<void>) {
    const before = await pids();
    const load = startLoad(lesson.url, { lanes: 2 });
    await load.succeeded(20);
    await action();
    await load.answeredBy((pid) => !before.has(pid)); // a new instance serves
    await load.stop();
    const after = await pids();
    say(`  pids before: ${[...before].join(', ')}; after: ${[...after].join(', ')}`);
    say(
      `  ${what}: ${load.ok} requests answered, ${load.failed} failed${load.errors[0] ? ` (${load.errors[0]})` : ''}`,
    );
    return load.failed;
  }

  step('kill -HUP <lesson pid>: the lesson runs pm2 reload under a steady stream of GETs');
  const reloadFailed = await underLoad('pm2 reload', async () => {
    const since = lesson.lines.length;
    lesson.signal('SIGHUP');
    await lesson.waitForLine(/reload done/, { since, timeoutMs: 30_000 });
  });
  mark = replay(lesson, mark);
  expect(reloadFailed === 0, 'pm2 reload to fail no request');

  step(`PM2_HOME=${home} pm2 restart lesson-11: the same load`);
  const restartFailed = await underLoad('pm2 restart', async () => {
    await pm2Cli(home, 'restart', 'lesson-11');
  });
  mark = lesson.lines.length;
  say('  restart stops the instance first, then starts the new one. In between no worker listens:');
  say('  the primary (PM2, in the lesson process) closes the shared socket, and connections are refused.');
  expect(restartFailed > reloadFailed, 'pm2 restart of a single instance to fail requests that reload does not');

  step(`PM2_HOME=${home} pm2 scale lesson-11 3: two more instances`);
  await pm2Cli(home, 'scale', 'lesson-11', '3');
  await lesson.waitForLines(/App \[lesson-11:\d\] online/, 2, { since: mark, timeoutMs: 20_000 });
  const three = await pids();
  say(`  fresh connections now reach ${three.size} instances: ${[...three].join(', ')}`);
  expect(three.size === 3, 'pm2 scale to add a third instance');

  step('SIGTERM: pm2 delete, every instance drains, the lesson removes its PM2_HOME and exits');
  mark = lesson.lines.length;
  await stopAndShow(lesson, mark);
} finally {
  await lesson.dispose();
}
