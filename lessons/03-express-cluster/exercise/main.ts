// EXERCISE (lesson 03): cluster the Express app of src/app.ts without
// changing it. Check your work with `pnpm exercise 03`; stuck?
// `pnpm exercise 03 --hint`.
//
// Lesson 03: the Express app of src/app.ts in a cluster.
// The primary is lesson 02's, unchanged: it forks, logs exits, replaces
// crashed workers and guards against crash loops. Every worker serves the
// same app. Nothing in the app had to change to be clustered.
import cluster from 'node:cluster';
import { ignoreTerminalCtrlC, workerLogger } from '@cluster-course/shared';
import { config } from '../src/config.ts'; // the files you do not edit stay in src/

if (cluster.isPrimary) {
  // TODO 1: run lesson 02's primary with this lesson's config: import
  // runPrimary from '@cluster-course/02-exit-and-respawn/primary' and await it.
  process.stderr.write(`TODO 1 in exercise/main.ts: the primary forks no worker (PORT ${config.port})\n`);
  process.exit(1);
} else {
  const id = cluster.worker?.id ?? 0;
  workerLogger(id)(`Worker ${process.pid} started`);
  // TODO 2: serve the app in this worker: import serve() from '../src/app.ts'
  // (dynamically, with await import(), so the primary never loads Express)
  // and call it with this worker's id.
  ignoreTerminalCtrlC();
}
