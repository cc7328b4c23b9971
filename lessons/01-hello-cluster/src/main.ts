// Lesson 01: hello cluster.
//
// This file runs more than once. You start it, and it becomes the primary.
// Each cluster.fork() then starts a new Node.js process that runs this same
// file again, from the top, with cluster.isPrimary === false: a worker.
// (C's fork() clones the running process and carries on after the call;
// Node's starts the program over.)
//
// Older code says cluster.isMaster; it is the same flag, deprecated since
// Node.js 16 in favour of cluster.isPrimary.
import cluster from 'node:cluster';
import { runPrimary } from './primary.ts';
import { runWorker } from './worker.ts';

if (cluster.isPrimary) {
  await runPrimary();
} else {
  runWorker();
}
