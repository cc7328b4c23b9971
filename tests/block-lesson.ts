// One running lesson for a whole describe block, for claims that only read
// it (a storm of requests, a session made and read, a limit reached): each
// claim still checks the real processes over real sockets, but they share
// one start instead of paying for one each. A claim that stops, kills or
// breaks anything starts its own lesson, as every other claim does.
import type { LessonProcess } from '@cluster-course/shared/harness';
import { afterAll, beforeAll } from 'vitest';

/**
 * Starts the lesson before the block's first claim and stops it after its
 * last (also when a claim failed). The claims of the block must not touch
 * each other's state: give each its own route, key or user.
 * Returns the running lesson; calling it before the block runs throws.
 */
export function lessonForBlock(start: () => Promise<LessonProcess>, timeoutMs = 60_000): () => LessonProcess {
  let lesson: LessonProcess | undefined;
  beforeAll(async () => {
    lesson = await start();
  }, timeoutMs);
  afterAll(async () => {
    await lesson?.dispose();
  });
  return () => {
    if (!lesson) throw new Error('the block’s lesson did not start (see the beforeAll error above)');
    return lesson;
  };
}
