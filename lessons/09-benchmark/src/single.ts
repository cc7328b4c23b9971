// TARGET=single: the baseline. One process, no cluster: what you get with
// `node server.js`.
import { announceReady, holdLifeline, listenOrReport, primaryLogger, urlOf } from '@cluster-course/shared';
import { config } from './config.ts';
import { createBenchServer } from './http-worker.ts';

export function runSingle(): void {
  primaryLogger()(`single process ${process.pid}: no cluster, one core at most`);
  holdLifeline();
  const server = createBenchServer(0);
  // Alone, a failed listen prints its one line and exits 1.
  listenOrReport(server, { host: config.host, port: config.port });
  server.once('listening', () => {
    const { port } = server.address() as { port: number };
    announceReady(urlOf('http', config.host, port), '1 process, TARGET=single');
  });
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
