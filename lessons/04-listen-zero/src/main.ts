// Lesson 04: listen(0) in a cluster. The topic lives in src/worker.ts (where
// each worker listens) and src/primary.ts (learning the real ports).
import cluster from 'node:cluster';
import { runPrimary } from './primary.ts';
import { runWorker } from './worker.ts';

if (cluster.isPrimary) {
  await runPrimary();
} else {
  runWorker();
}
