// Lesson 08: graceful shutdown and zero-downtime restart.
//   SIGTERM / SIGINT: drain every worker, then exit (src/shutdown.ts)
//   SIGHUP: replace every worker, one at a time (src/rolling-restart.ts)
//   GET /slow?ms=N: a request that takes N ms, to watch both happen
import cluster from 'node:cluster';
import { runPrimary } from './primary.ts';
import { runWorker } from './worker.ts';

if (cluster.isPrimary) {
  await runPrimary();
} else {
  runWorker();
}
