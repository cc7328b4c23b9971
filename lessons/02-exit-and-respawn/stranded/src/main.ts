// Lesson 02, part 2: part 1's cluster (../../src/) with the safe crash added.
// The primary and the worker are part 1's, unchanged; what is new is in
// ./safe-crash.ts: a worker that meets an uncaught exception leaves the
// rotation and waits for the primary's answer before it exits, so no
// connection dealt to it is stranded. Run it: pnpm lesson 02 stranded.
import cluster from 'node:cluster';
import { workerLogger } from '@cluster-course/shared';
import { config } from '../../src/config.ts';
import { runPrimary } from '../../src/primary.ts';
import { runWorker } from '../../src/worker.ts';
import { acceptSafeCrashes, crashSafely } from './safe-crash.ts';

if (cluster.isPrimary) {
  acceptSafeCrashes(await runPrimary(config));
} else {
  crashSafely(runWorker(), workerLogger(cluster.worker?.id ?? 0));
}
