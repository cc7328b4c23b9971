import { killAllLessons, owningLessons } from '@cluster-course/shared/harness';
import { sweepStaleReservations } from '@cluster-course/shared/runtime/ports';
import { afterAll, aroundEach } from 'vitest';

// Whatever happens in a test, no lesson it started outlives it; and a test
// stops only its own lessons, so tests of a describe.concurrent block, which
// run side by side, never stop each other's.
aroundEach(async (runTest) => {
  await owningLessons(runTest);
});
// Anything started outside a test (none should be) goes with its file.
// A lesson killed outright cannot give back the ports it reserved
// (shared/src/runtime/ports.ts): their files go with its test file.
afterAll(async () => {
  await killAllLessons();
  sweepStaleReservations();
});

// Vitest sets MODE=test in its own environment (Vite's mode), and lessons
// inherit our environment. Lesson 10 reads MODE: it must see only what a test
// gives it.
delete process.env.MODE;
