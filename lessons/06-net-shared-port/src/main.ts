// Lesson 06: a plain TCP (node:net) server in every worker, on one port.
// Try NODE_CLUSTER_SCHED_POLICY=none to let the workers accept themselves.
import cluster from 'node:cluster';
import { runPrimary } from './primary.ts';
import { runWorker } from './worker.ts';

if (cluster.isPrimary) {
  await runPrimary();
} else {
  runWorker();
}
