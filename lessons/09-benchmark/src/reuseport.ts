// TARGET=reuseport (Node.js 22.12+ / 23.1+): cluster workers, but each one
// binds its own socket with SO_REUSEPORT, and the kernel spreads incoming
// connections over those sockets. The primary is not in the connection path
// at all: it only starts and stops the workers.
//
// exclusive: true makes each worker bind its own socket instead of asking the
// primary (lesson 04). With PORT=0 the first worker takes a free port and the
// others bind that same port. Each worker tells the primary its port with
// lesson 04's PortReport, imported from there on purpose.
import cluster, { type Worker } from 'node:cluster';
import { once } from 'node:events';
import { isPortReport, type PortReport } from '@cluster-course/04-listen-zero/port-report';
import {
  announceReady,
  handleClusterStop,
  ignoreTerminalCtrlC,
  listenOrReport,
  primaryLogger,
  startPrimary,
  urlOf,
} from '@cluster-course/shared';
import { createBenchServer } from './bench-server.ts';
import { config } from './config.ts';

export function runReusePortWorker(): void {
  const server = createBenchServer(cluster.worker?.id ?? 0);
  const port = Number(process.env.REUSEPORT_PORT ?? config.port);
  server.once('listening', () => {
    const address = server.address(); // AddressInfo for TCP (a string only for a pipe)
    if (address === null || typeof address === 'string') return;
    const report: PortReport = { type: 'listening', port: address.port };
    if (process.connected) process.send?.(report);
  });
  // The primary does not know this socket: close it ourselves when told to go.
  cluster.worker?.once('disconnect', () => server.close());
  listenOrReport(server, { host: config.host, port, exclusive: true, reusePort: true });
  ignoreTerminalCtrlC();
}

export async function runReusePortPrimary(): Promise<void> {
  const log = primaryLogger();
  const about = `${config.workers} workers, each with its own SO_REUSEPORT socket`;
  await startPrimary({ log, host: config.host, ports: [config.port], about }); // shared/: a taken port exits 1 here
  const alive = new Set<Worker>();
  const listening = new Set<Worker>();
  // Lesson 01's stop, wired once (shared/src/runtime/cluster-stop.ts): listening
  // workers disconnect (and close their own socket), workers still starting
  // get SIGTERM.
  const shutdown = handleClusterStop({ log, workers: () => alive, isListening: (worker) => listening.has(worker) });
  cluster.on('exit', (worker) => alive.delete(worker));

  // One at a time: the first learns the port, the others join it.
  let port = config.port;
  for (let i = 0; i < config.workers && !shutdown.stopping; i++) {
    const worker = cluster.fork({ REUSEPORT_PORT: String(port) });
    alive.add(worker);
    const [message]: unknown[] = await once(worker, 'message');
    if (!isPortReport(message)) return; // its listen failed: the stop is under way
    port = message.port;
    listening.add(worker);
    log(`worker ${worker.id} (pid ${worker.process.pid}) listening on ${urlOf('http', config.host, port)}`);
  }
  if (!shutdown.stopping)
    announceReady(urlOf('http', config.host, port), `${config.workers} workers, TARGET=reuseport`);
}
