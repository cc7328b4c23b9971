// Lesson 09: the targets of the benchmark, one per run, chosen by TARGET.
//   single     one process (the baseline)
//   cluster    WORKERS cluster workers, round-robin (lesson 02's primary)
//   broker     lesson 05's fork broker with WORKERS children
//   reuseport  WORKERS workers with SO_REUSEPORT sockets (Node.js 22.12+ / 23.1+)
// All serve GET /hello and GET /cpu?ms=N. `pnpm bench` (demo/bench.ts) runs them all.
import cluster from 'node:cluster';
import { fileURLToPath } from 'node:url';
import { runPrimary } from '@cluster-course/02-exit-and-respawn/primary';
import { runBrokerServer } from '@cluster-course/05-fork-broker/server';
import { ignoreTerminalCtrlC, listenOrReport } from '@cluster-course/shared';
import { createBenchServer } from './bench-server.ts';
import { config } from './config.ts';
import { runReusePortPrimary, runReusePortWorker } from './reuseport.ts';
import { runSingle } from './single.ts';

switch (config.target) {
  case 'single':
    runSingle();
    break;
  case 'cluster':
    if (cluster.isPrimary) {
      await runPrimary(config);
    } else {
      listenOrReport(createBenchServer(cluster.worker?.id ?? 0), { host: config.host, port: config.port });
      ignoreTerminalCtrlC();
    }
    break;
  case 'broker':
    await runBrokerServer({
      ...config,
      timeoutMs: 10_000,
      workerPath: fileURLToPath(new URL('./broker-worker.ts', import.meta.url)),
    });
    break;
  case 'reuseport':
    if (cluster.isPrimary) await runReusePortPrimary();
    else runReusePortWorker();
    break;
}
