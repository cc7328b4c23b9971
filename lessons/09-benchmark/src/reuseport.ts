// TARGET=reuseport (Node.js 22.12+ / 23.1+): cluster workers, but each one
// binds its own socket with SO_REUSEPORT, and the kernel spreads incoming
// connections over those sockets. The primary is not in the connection path
// at all: it only starts and stops the workers.
//
// exclusive: true makes each worker bind its own socket instead of asking the
// primary (lesson 04). With PORT=0 the first worker takes a free port and the
// others bind that same port.
import cluster, { type Worker } from 'node:cluster';
import { once } from 'node:events';
import {
  announceReady,
  exitIfPortInUse,
  holdLifeline,
  ignoreTerminalCtrlC,
  isListenFailed,
  listenOrReport,
  primaryLogger,
  stopWorkers,
  urlOf,
} from '@cluster-course/shared';
import { config } from './config.ts';
import { createBenchServer } from './http-worker.ts';

export function runReusePortWorker(): void {
  const server = createBenchServer(cluster.worker?.id ?? 0);
  const port = Number(process.env.REUSEPORT_PORT ?? config.port);
  server.once('listening', () => {
    const address = server.address() as { port: number };
    if (process.connected) process.send?.({ type: 'listening', port: address.port });
  });
  // The primary does not know this socket: close it ourselves when told to go.
  cluster.worker?.once('disconnect', () => server.close());
  listenOrReport(server, { host: config.host, port, exclusive: true, reusePort: true });
  ignoreTerminalCtrlC();
}

export async function runReusePortPrimary(): Promise<void> {
  const log = primaryLogger();
  log(`Primary ${process.pid}: ${config.workers} workers, each with its own SO_REUSEPORT socket`);
  holdLifeline();
  await exitIfPortInUse(config.host, [config.port]); // before forking (shared/)
  const alive = new Set<Worker>();
  const listening = new Set<Worker>();
  let stopping = false;
  // Lesson 01's stop, from shared/: listening workers disconnect (and close
  // their own socket), workers still starting get SIGTERM.
  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    void stopWorkers(alive, { isListening: (worker) => listening.has(worker) }).then(() => process.exit(code));
  };
  cluster.on('exit', (worker) => alive.delete(worker));
  cluster.on('message', (_worker, message) => {
    if (!isListenFailed(message)) return;
    process.stderr.write(`${message.message}\n`);
    stop(1);
  });
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));

  // One at a time: the first learns the port, the others join it.
  let port = config.port;
  for (let i = 0; i < config.workers && !stopping; i++) {
    const worker = cluster.fork({ REUSEPORT_PORT: String(port) });
    alive.add(worker);
    const [message] = (await once(worker, 'message')) as [{ type?: string; port?: number }];
    if (message?.type !== 'listening' || typeof message.port !== 'number') return;
    port = message.port;
    listening.add(worker);
    log(`worker ${worker.id} (pid ${worker.process.pid}) listening on ${urlOf('http', config.host, port)}`);
  }
  if (!stopping) announceReady(urlOf('http', config.host, port), `${config.workers} workers, TARGET=reuseport`);
}
