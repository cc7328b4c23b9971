// Lesson 01, the other style: the worker's code in a file of its own.
//
// src/main.ts runs in both roles and branches on cluster.isPrimary. This
// file is only ever the primary: before forking, it tells the cluster module
// which file the workers run, with cluster.setupPrimary({ exec }) (called
// setupMaster before Node.js 16). Every later cluster.fork() starts
// src/worker-main.ts instead of this file. The primary is lesson 01's own
// (src/primary.ts), unchanged: fork() reads the settings, not the primary.
import cluster from 'node:cluster';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { primaryLogger } from '@cluster-course/shared';
import { runPrimary } from './primary.ts';

cluster.setupPrimary({
  exec: fileURLToPath(new URL('./worker-main.ts', import.meta.url)),
  // Left out, args and execArgv default to this process's own: workers get
  // `--import tsx` too, which is what lets them load a .ts file.
});

// cluster.settings is what the next fork() will use, read-only: exec, args,
// execArgv, silent, ... (set only through setupPrimary()).
primaryLogger()(`cluster.settings.exec = ${relative(process.cwd(), cluster.settings.exec ?? '')}`);
await runPrimary();
