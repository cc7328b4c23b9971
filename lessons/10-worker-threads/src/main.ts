// Lesson 10: the same app three ways (MODE), to compare where CPU work runs.
//   blocking  one process; the CPU work blocks its event loop
//   threads   one process; the CPU work runs on a pool of threads (default)
//   cluster   WORKERS processes; each one's CPU work blocks only that one
import cluster from 'node:cluster';
import { runClusterPrimary, runClusterWorker } from './cluster-mode.ts';
import { config } from './config.ts';
import { runOneProcess } from './one-process.ts';

if (config.mode !== 'cluster') await runOneProcess(config.mode);
else if (cluster.isPrimary) await runClusterPrimary();
else runClusterWorker();
