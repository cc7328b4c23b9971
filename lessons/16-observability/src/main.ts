// Lesson 16: see the whole cluster. Metrics in every worker (prom-client),
// summed by the primary, scraped by the real Prometheus, drawn live.
//
// The entry: the same file runs as the primary and, forked, as each worker.
import cluster from 'node:cluster';
import { runPrimary } from './primary.ts';
import { runWorker } from './worker.ts';

if (cluster.isPrimary) {
  await runPrimary();
} else {
  runWorker();
}
