// The worker's own entry file, for src/exec-main.ts: no isPrimary branch,
// because this file only ever runs in a worker. It loads no primary code.
import cluster from 'node:cluster';
import { relative } from 'node:path';
import { workerLogger } from '@cluster-course/shared';
import { runWorker } from './worker.ts';

if (!cluster.isWorker) {
  // Run by hand, this file would listen alone, outside any cluster.
  process.stderr.write('src/worker-main.ts is a worker file: start src/exec-main.ts instead\n');
  process.exit(2);
}

// process.argv[1] is the file this process runs: cluster.settings.exec.
workerLogger(cluster.worker?.id ?? 0)(`running ${relative(process.cwd(), process.argv[1] ?? '')}`);
runWorker();
