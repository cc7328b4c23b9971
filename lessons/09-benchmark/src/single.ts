// TARGET=single: the baseline. One process, no cluster: what you get with
// `node server.js`.
import { announceReady, holdLifeline, listenOrReport, primaryLogger, urlOf } from '@cluster-course/shared';
import { createBenchServer } from './bench-server.ts';
import { config } from './config.ts';

export function runSingle(): void {
  primaryLogger()(`single process ${process.pid}: no cluster, one core at most`);
  holdLifeline();
  const server = createBenchServer(0);
  // Alone, a failed listen prints its one line and exits 1.
  listenOrReport(server, { host: config.host, port: config.port });
  server.once('listening', () => {
    const address = server.address(); // AddressInfo for TCP (a string only for a pipe)
    const port = address !== null && typeof address !== 'string' ? address.port : config.port;
    announceReady(urlOf('http', config.host, port), '1 process, TARGET=single');
  });
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
