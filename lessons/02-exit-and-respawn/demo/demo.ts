// Demo of lesson 02: break workers three ways and watch the primary decide.
import { startLesson } from '@cluster-course/shared/harness';
import { fresh, freshMany } from '@cluster-course/shared/harness/http';
import { expect, replay, say, step, table } from '@cluster-course/shared/harness/narrate';

const dir = new URL('..', import.meta.url).pathname;

step('Start 3 workers');
const lesson = await startLesson(dir, { env: { PORT: '0', WORKERS: '3' } });
let seen = replay(lesson);

/** Which workers answer now: 6 fresh connections, one at a time. */
async function whoAnswers(): Promise<number[]> {
  const replies = await freshMany(lesson.url, 6, 1);
  const pids = [...new Set(replies.map((r) => r.workerPid))].sort();
  table(
    ['worker', 'pid', 'answers'],
    pids.map((pid) => [
      replies.find((r) => r.workerPid === pid)?.workerId ?? '?',
      pid,
      replies.filter((r) => r.workerPid === pid).length,
    ]),
  );
  return pids;
}

/** Waits for the exit line of `pid`, the replacement's fork and its listening line. */
async function replaced(pid: number, how: string): Promise<void> {
  const [, id] = await lesson.waitForLine(new RegExp(`worker (\\d+) \\(pid ${pid}\\) ${how}`), { since: seen });
  const [, newId] = await lesson.waitForLine(new RegExp(`forked worker (\\d+) .* to replace worker ${id}$`), {
    since: seen,
  });
  await lesson.waitForLine(new RegExp(`worker ${newId} \\(pid \\d+\\) listening on`), { since: seen });
  seen = replay(lesson, seen);
}

try {
  step('Who answers (6 fresh connections)');
  await whoAnswers();

  step('kill -9 one worker (SIGKILL: no chance to clean up)');
  const victim = (await fresh(lesson.url)).workerPid;
  say(`  kill -9 ${victim}`);
  process.kill(victim, 'SIGKILL');
  await replaced(victim, 'was killed by signal: SIGKILL');
  say('\nKilled by a signal: a crash, so it is replaced. It had run for less than a second, which');
  say('the primary counts as a failed start and answers with a short backoff (see src/exit-policy.ts).');
  say('Who answers now:');
  const afterKill = await whoAnswers();
  expect(afterKill.length === 3 && !afterKill.includes(victim), 'three workers, the killed one replaced');

  step('POST /exit?code=3 (the worker exits with an error code)');
  const three = await fresh(new URL('/exit?code=3', lesson.url), { method: 'POST' });
  say(`  ${three.body.trim()}`);
  await replaced(three.workerPid, 'exited with error code: 3');
  say('\nA non-zero code is a failure too: replaced.');

  step('POST /exit?code=0 (the worker decides to finish)');
  const zero = await fresh(new URL('/exit?code=0', lesson.url), { method: 'POST' });
  say(`  ${zero.body.trim()}`);
  await lesson.waitForLine(new RegExp(`not replacing worker ${zero.workerId}`), { since: seen });
  seen = replay(lesson, seen);
  say('\nCode 0 is a deliberate, clean exit: the primary respects it and the pool shrinks. Who answers now:');
  const afterClean = await whoAnswers();
  expect(afterClean.length === 2, 'two workers after a clean exit');

  step('Stop (SIGTERM)');
  const exit = await lesson.stop('SIGTERM');
  replay(lesson, seen);
  say(`\nexit code ${exit.code}. Try CRASH_ON_START=1 pnpm lesson 02 to see the crash-loop guard.`);
  expect(exit.code === 0, 'exit code 0');
} finally {
  await lesson.dispose();
}

// Part 2, the stranded connection, has a demo of its own, run next.
if (process.platform === 'linux') await import('../stranded/demo/demo.ts');
else say('\n(The stranded-connection part of this demo reads /proc: Linux only.)');
