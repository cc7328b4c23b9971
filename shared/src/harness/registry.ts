// Which lessons are running, and whose they are. Every lesson the harness
// starts is tracked here until it is disposed, so that nothing outlives the
// test that started it, nor our own process.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { LessonProcess } from './lesson-process.ts';

const live = new Set<LessonProcess>();
// The lessons of the test (or other body) running now, found through the
// async context: a helper deep inside a test starts a lesson and the test
// owns it, with nothing passed down.
const owners = new AsyncLocalStorage<Set<LessonProcess>>();

/** Tracks the lesson `create` makes; it calls `forget` once disposed. */
export function track(create: (forget: (lesson: LessonProcess) => void) => LessonProcess): LessonProcess {
  const mine = owners.getStore();
  const lesson = create((done) => {
    live.delete(done);
    mine?.delete(done);
  });
  live.add(lesson);
  mine?.add(lesson);
  return lesson;
}

/**
 * Runs `body` so that every lesson started inside it is its own, and stops
 * those lessons when it ends: passed, failed or timed out. tests/setup.ts
 * wraps every test in it, so tests that run side by side (describe.concurrent)
 * each stop only what they started.
 */
export async function owningLessons(body: () => unknown): Promise<void> {
  const mine = new Set<LessonProcess>();
  try {
    await owners.run(mine, body);
  } finally {
    await Promise.all([...mine].map((lesson) => lesson.dispose()));
  }
}

/** Kill every lesson this process started (the end of a test file: anything started outside a test). */
export async function killAllLessons(): Promise<void> {
  await Promise.all([...live].map((lesson) => lesson.dispose()));
}

// Our own exit, whatever the reason: nothing we started may outlive us.
process.on('exit', () => {
  for (const lesson of live) lesson.kill();
});
