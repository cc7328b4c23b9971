import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Kills every lesson a test started, even when the test failed or timed out.
    setupFiles: ['tests/setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Each test file starts real clusters; on a 2-core machine two files at a
    // time keep the suite quick without starving the lessons.
    maxWorkers: 2,
  },
});
