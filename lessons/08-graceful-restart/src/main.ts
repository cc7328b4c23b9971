// Lesson 08: graceful shutdown and zero-downtime restart.
//   SIGTERM / SIGINT: drain every worker, then exit (src/primary.ts, shutdown)
//   SIGHUP: replace every worker, one at a time (src/primary.ts, rollingRestart)
//   GET /slow?ms=N: a request that takes N ms, to watch both happen
import cluster from 'node:cluster';
import { runPrimary } from './primary.ts';
import { runWorker } from './worker.ts';

if (cluster.isPrimary) {
  runPrimary();
} else {
  runWorker();
}
