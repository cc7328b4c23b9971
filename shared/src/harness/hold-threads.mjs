// A test hook, like hold-worker.ts, for worker threads (lesson 10's pool):
// startLesson(dir, { holdThreads: true }) loads it with `--import`, and
// threads inherit execArgv, so it runs in each of them before their code
// and holds every one: the pool never finishes starting, as on a machine
// too busy to start it, and a test can stop the lesson at that moment.
// In the main thread it does nothing. (Node 20's own thread for loader
// hooks runs no `--import`: it is never held.)
//
// Plain JavaScript, not TypeScript: on Node 20 a worker thread loads the
// `--import`s before tsx's hooks are ready in it, and a .ts one fails with
// ERR_UNKNOWN_FILE_EXTENSION.
import { isMainThread, threadId } from 'node:worker_threads';

// HOOK_ENV.holdThreads in hook-env.ts (a .mjs cannot import a .ts file here).
if (!isMainThread && process.env.CLUSTER_COURSE_HOLD_THREADS) {
  process.stdout.write(`[test hook] thread ${threadId} (pid ${process.pid}) held before its code runs\n`);
  setInterval(() => {}, 60_000); // keeps the thread alive: only the process's exit ends it
  await new Promise(() => {});
}
