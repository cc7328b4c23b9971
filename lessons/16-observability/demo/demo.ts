// Demo of lesson 16: start it, ask it a few times on fresh
// connections, and show who answered.
import { startLesson } from '@cluster-course/shared/harness';
import { freshMany } from '@cluster-course/shared/harness/http';
import { expect, say, step } from '@cluster-course/shared/harness/narrate';

const dir = new URL('..', import.meta.url).pathname;
const lesson = await startLesson(dir, { env: { PORT: '0', WORKERS: '2' } });
try {
  step('GET / on 6 fresh connections');
  const replies = await freshMany(lesson.url, 6, 1);
  for (const reply of replies) say(`  ${reply.body.trim()}`);
  expect(new Set(replies.map((r) => r.workerPid)).size === 2, 'both workers answer');
  await lesson.stop('SIGINT');
} finally {
  await lesson.dispose();
}
