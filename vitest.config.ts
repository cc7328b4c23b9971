import { defineConfig } from 'vitest/config';

// Lesson 09's tests run the benchmark, which keeps every core busy on
// purpose. They run alone, after the rest, so they slow no other test.
const alone = ['tests/09-benchmark.test.ts'];

const shared = {
  // Kills every lesson a test started, even when the test failed or timed out.
  setupFiles: ['tests/setup.ts'],
  testTimeout: 30_000,
  hookTimeout: 30_000,
};

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...shared,
          name: 'lessons',
          include: ['tests/**/*.test.ts'],
          exclude: alone,
          // Each test file starts real clusters; on a 2-core machine two
          // files at a time keep the suite quick without starving the lessons.
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          ...shared,
          name: 'benchmark',
          include: alone,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
