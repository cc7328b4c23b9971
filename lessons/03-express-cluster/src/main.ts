// Lesson 03: the Express app of src/app.ts in a cluster.
// The primary is lesson 02's, unchanged: it forks, logs exits, replaces
// crashed workers and guards against crash loops. Every worker serves the
// same app. Nothing in the app had to change to be clustered.
import cluster from 'node:cluster';
import { runPrimary } from '@cluster-course/02-exit-and-respawn/primary';
import { ignoreTerminalCtrlC, workerLogger } from '@cluster-course/shared';
import { config } from './config.ts';

if (cluster.isPrimary) {
  await runPrimary(config);
} else {
  const id = cluster.worker?.id ?? 0;
  workerLogger(id)(`Worker ${process.pid} started`);
  // Imported here, not at the top: the primary serves nothing, so it need
  // not load Express, and it forks its workers that much sooner.
  const { serve } = await import('./app.ts');
  serve(id); // the app itself does not know it is clustered
  ignoreTerminalCtrlC();
}
