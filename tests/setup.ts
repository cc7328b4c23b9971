import { killAllLessons } from '@cluster-course/shared/harness';
import { afterEach } from 'vitest';

// Whatever happened in the test, no lesson process outlives it.
afterEach(async () => {
  await killAllLessons();
});
