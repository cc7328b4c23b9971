import { killAllLessons } from '@cluster-course/shared/harness';
import { afterEach } from 'vitest';

// Whatever happened in the test, no lesson process outlives it.
afterEach(async () => {
  await killAllLessons();
});

// Vitest sets MODE=test in its own environment (Vite's mode), and lessons
// inherit our environment. Lesson 10 reads MODE: it must see only what a test
// gives it.
delete process.env.MODE;
