import { defineConfig } from 'vitest/config';

// Lesson 09's tests run the benchmark, which keeps every core busy on
// purpose. They run alone, after the rest, so they slow no other test.
const alone = ['tests/09-benchmark.test.ts'];

const shared = {
  // Kills every lesson a test started, even when the test failed or timed out.
  setupFiles: ['tests/setup.ts'],
  // A claim's own waits are its bounds (the ready line's, up to 40 s for
  // the engines; a line's, 20 s; a claim about time passes its own): the
  // test's time must cover them, or a slow start on a busy machine ends in
  // "Test timed out" instead of the wait that says what was missing.
  testTimeout: 60_000,
  hookTimeout: 60_000,
  // Claims in a describe.concurrent block run side by side, at most three at
  // a time per file: each starts its own lesson on port 0 and stops only its
  // own (tests/setup.ts), and most of a claim is waiting, not computing.
  // CLAIMS_AT_ONCE=1 runs them one at a time, in order (the known-wrong
  // checks of shared/src/tools/exercise/ do, to meet the same claim first).
  maxConcurrency: Number(process.env.CLAIMS_AT_ONCE ?? 3),
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
