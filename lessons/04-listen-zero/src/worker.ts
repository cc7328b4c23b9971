// Where a worker listens. This is the whole lesson:
//
// - shared: listen(PORT). In a cluster, listen() asks the primary, which
//   opens ONE socket per address and port and shares it. With PORT=0 the
//   first request picks a random port, and every later worker asking for
//   port 0 gets that same socket: "random the first time, predictable after".
//
// - per-worker: each worker listens on a port of its own. With a fixed PORT
//   the port is PORT + worker id; with PORT=0 the worker passes
//   exclusive: true, so it binds its own socket (not the primary's shared
//   one) and the kernel picks a distinct free port for it.
//
// An exclusive listen() never involves the primary: Node.js binds the socket
// right here. So the primary gets no 'listening' event for it, and
// worker.disconnect() does not close it. The worker therefore tells the
// primary its real port itself, and closes its server itself on disconnect.
import cluster from 'node:cluster';
import http from 'node:http';
import { ignoreTerminalCtrlC, listenOrReport, workerLogger } from '@cluster-course/shared';
import { config } from './config.ts';
import type { PortReport } from './port-report.ts';

export function runWorker(): void {
  const id = cluster.worker?.id ?? 0;
  workerLogger(id)(`Worker ${process.pid} started`);

  const server = http.createServer((req, res) => {
    res.setHeader('x-worker-id', id);
    res.setHeader('x-worker-pid', process.pid);
    res.setHeader('content-type', 'text/plain; charset=utf-8');
    if (req.url !== '/' || req.method !== 'GET') {
      res.statusCode = 404;
      res.end('not found\n');
      return;
    }
    // The port this socket really listens on, as the client reached it.
    res.end(`Hello from worker ${id} (pid ${process.pid}) on port ${req.socket.localPort}\n`);
  });

  // The real address, after listen(): with port 0, the port we were given.
  server.once('listening', () => {
    const address = server.address(); // AddressInfo for TCP (a string only for a pipe)
    if (address === null || typeof address === 'string') return;
    const report: PortReport = { type: 'listening', port: address.port };
    // The primary may be stopping us already (another worker's port was taken).
    if (process.connected) process.send?.(report);
  });
  cluster.worker?.once('disconnect', () => server.close());

  if (config.portMode === 'shared') {
    listenOrReport(server, { host: config.host, port: config.port });
  } else if (config.port > 0) {
    listenOrReport(server, { host: config.host, port: config.port + id, exclusive: true });
  } else {
    listenOrReport(server, { host: config.host, port: 0, exclusive: true });
  }
  ignoreTerminalCtrlC();
}
