// Lesson 02: exit handling and respawn.
// Same shape as lesson 01: this file is the primary when you start it and a
// worker in every process cluster.fork() starts. What is new is in
// src/primary.ts (what to do when a worker exits) and src/exit-policy.ts.
// Part 2 (stranded/src/main.ts) runs this same cluster with a safe crash added.
import cluster from 'node:cluster';
import { config } from './config.ts';
import { runPrimary } from './primary.ts';
import { runWorker } from './worker.ts';

if (cluster.isPrimary) {
  await runPrimary(config);
} else {
  runWorker();
}
