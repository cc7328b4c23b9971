// Which lessons are running, and whose they are. Every lesson the harness
// starts is tracked here until it is disposed, so that nothing outlives the
// test that started it, nor our own process.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { LessonProcess } from './lesson-process.ts';

const live = new Set<LessonProcess>();
/** What a test (or other body) owns: the lessons it started, and what to undo when it ends. */
interface Owner {
  lessons: Set<LessonProcess>;
  cleanups: (() => unknown)[];
}
// The owner running now, found through the async context: a helper deep
// inside a test starts a lesson and the test owns it, with nothing passed down.
const owners = new AsyncLocalStorage<Owner>();
// Cleanups asked for outside any owner: they run with killAllLessons().
const unowned: (() => unknown)[] = [];

/** Tracks the lesson `create` makes; it calls `forget` once disposed. */
export function track(create: (forget: (lesson: LessonProcess) => void) => LessonProcess): LessonProcess {
  const mine = owners.getStore()?.lessons;
  const lesson = create((done) => {
    live.delete(done);
    mine?.delete(done);
  });
  live.add(lesson);
  mine?.add(lesson);
  return lesson;
}

/**
 * Runs `cleanup` when the test running now ends, before its lessons are
 * stopped (a client to close, say). Unlike a file's afterEach, it touches
 * only this test's things, so tests side by side keep theirs.
 */
export function whenTestEnds(cleanup: () => unknown): void {
  (owners.getStore()?.cleanups ?? unowned).push(cleanup);
}

async function runCleanups(cleanups: (() => unknown)[]): Promise<void> {
  // All at once; one that throws does not stop the others.
  await Promise.allSettled(cleanups.splice(0).map(async (cleanup) => cleanup()));
}

/**
 * Runs `body` so that every lesson started inside it is its own, and stops
 * those lessons when it ends: passed, failed or timed out. tests/setup.ts
 * wraps every test in it, so tests that run side by side (describe.concurrent)
 * each stop only what they started.
 */
export async function owningLessons(body: () => unknown): Promise<void> {
  const mine: Owner = { lessons: new Set(), cleanups: [] };
  try {
    await owners.run(mine, body);
  } finally {
    await runCleanups(mine.cleanups);
    await Promise.all([...mine.lessons].map((lesson) => lesson.dispose()));
  }
}

/** Kill every lesson this process started (the end of a test file: anything started outside a test). */
export async function killAllLessons(): Promise<void> {
  await runCleanups(unowned);
  await Promise.all([...live].map((lesson) => lesson.dispose()));
}

// Our own exit, whatever the reason: nothing we started may outlive us.
process.on('exit', () => {
  for (const lesson of live) lesson.kill();
});
