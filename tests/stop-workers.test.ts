// The course's cluster stop (shared/src/runtime/stop-workers.ts), at two
// moments the lessons' own tests cannot force:
//   - a worker whose IPC channel has closed but which has not exited yet (a
//     crash in progress, or, as in the fixture, a worker that disconnected
//     itself and is still finishing). A graceful message to it would be an
//     unhandled ERR_IPC_CHANNEL_CLOSED;
//   - a worker that is dead while the primary has not read its death yet
//     (`kill -9` of a worker just before Ctrl-C): the graceful message fails
//     with EPIPE.
// Either way the primary must not die of it (exit code 1, the rest left
// running): it waits for that worker's exit like any other's.
import { join } from 'node:path';
import { startLesson } from '@cluster-course/shared/harness';
import { waitForGone } from '@cluster-course/shared/harness/proc';
import { expect, it } from 'vitest';

const fixtures = join(import.meta.dirname, 'fixtures');

it('a stop that meets a worker already leaving waits for its exit: exit code 0, nothing left', async () => {
  const lesson = await startLesson(fixtures, { entry: 'leaving-worker.ts', waitForReady: false });
  const [, pid] = await lesson.waitForLine(/worker 1 \(pid (\d+)\) closed its channel/);
  await lesson.waitForLine(/worker 2 ready/);
  const pids = lesson.members().map((member) => member.pid);
  lesson.signal('SIGTERM');
  await lesson.waitForLine(/SIGTERM: stopping 2 workers/);
  // Worker 1 is still alive here: it leaves only now.
  process.kill(Number(pid), 'SIGUSR2');
  expect(await lesson.waitForExit(5_000), lesson.transcript()).toMatchObject({ code: 0, signal: null });
  expect(lesson.stderr().join('\n')).toBe('');
  expect(await waitForGone(pids, 5_000)).toBe(true);
});

it('a stop that meets a worker dead a moment ago (its graceful message fails with EPIPE) still ends: exit code 0, nothing left', async () => {
  const lesson = await startLesson(fixtures, { entry: 'dead-worker-stop.ts', waitForReady: false });
  await lesson.waitForLine(/both listening/);
  const pids = lesson.members().map((member) => member.pid);
  lesson.signal('SIGUSR2');
  // The order was forced: the worker was dead, the primary still thought it connected, and the message failed.
  await lesson.waitForLine(/worker 1 is dead; the primary has not seen it: connected true/);
  await lesson.waitForLine(/worker 1: write EPIPE/);
  expect(await lesson.waitForExit(5_000), lesson.transcript()).toMatchObject({ code: 0, signal: null });
  expect(lesson.stderr().join('\n')).toBe('');
  expect(await waitForGone(pids, 5_000)).toBe(true);
});
