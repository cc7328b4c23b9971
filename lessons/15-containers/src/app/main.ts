// The app inside the container: a clustered HTTP server, started by the
// lesson's runtime (src/main.ts) inside its cgroup. The same file runs as the
// primary and, forked, as each worker.
import cluster from 'node:cluster';
import { runPrimary } from './primary.ts';
import { runWorker } from './worker.ts';

if (cluster.isPrimary) {
  await runPrimary();
} else {
  runWorker();
}
