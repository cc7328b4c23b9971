// Demo of lesson 08: a rolling restart under live traffic (with a running
// count of requests served and failed), then a shutdown that lets a slow
// request finish.
import { startLesson } from '@cluster-course/shared/harness';
import { fresh, startLoad } from '@cluster-course/shared/harness/http';
import { expect, say, step } from '@cluster-course/shared/harness/narrate';

const dir = new URL('..', import.meta.url).pathname;

step('Start 2 workers');
const lesson = await startLesson(dir, { env: { PORT: '0', WORKERS: '2' } });

try {
  step('Traffic: 2 clients, one request after another, each on a fresh connection');
  const load = startLoad(lesson.url, { lanes: 2 });
  await load.succeeded(50);
  const count = () => `served ${String(load.ok).padStart(5)}, failed ${load.failed}`;
  say(`  ${count()}`);

  step('kill -HUP <primary>: rolling restart, while the traffic goes on');
  let seen = lesson.mark();
  lesson.signal('SIGHUP');
  // Narrate the primary's steps as they happen, each with the running count.
  const restartStep = /forked worker|is serving; retiring|exited|rolling restart complete/;
  for (;;) {
    const { index, text } = await lesson.waitForLineAt(restartStep, { since: seen, timeoutMs: 20_000 });
    seen = index + 1;
    say(`  ${count()}   ${text.replace(/^\[primary \d+\] /, '')}`);
    if (text.includes('rolling restart complete')) break;
  }
  await load.answeredBy((pid) => !lesson.output().includes(`(pid ${pid}) exited`));
  await load.stop();
  say(`  ${count()}   (traffic stopped)`);
  say('\nEvery request was answered: a new worker listened before an old one stopped accepting,');
  say('and the old one finished what it had before it left.');
  expect(load.failed === 0, 'zero failed requests during the restart');

  step('GET /slow?ms=1500, then SIGTERM while it runs');
  const slow = fresh(new URL('/slow?ms=1500', lesson.url));
  await lesson.waitForLine(/GET \/slow: holding this request for 1500 ms/);
  seen = lesson.mark();
  const started = Date.now();
  lesson.signal('SIGTERM');
  const reply = await slow;
  say(`  the slow request: ${reply.status} "${reply.body.trim()}" (connection: ${reply.headers.connection})`);
  const exit = await lesson.waitForExit(15_000);
  for (const line of lesson.lines.slice(seen)) say(`    | ${line.text}`);
  say(
    `\nThe primary exited with code ${exit.code}, ${Date.now() - started} ms after SIGTERM: the slow request finished first.`,
  );
  expect(reply.status === 200 && exit.code === 0, 'the slow request to finish and exit code 0');
} finally {
  await lesson.dispose();
}
