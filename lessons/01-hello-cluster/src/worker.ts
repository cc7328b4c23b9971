// A worker: an ordinary HTTP server. The only cluster-specific thing here is
// that listen() does not bind a socket of its own: the worker asks the
// primary, which holds the one listening socket and hands over connections.
import cluster from 'node:cluster';
import http from 'node:http';
import { listenOrReport, workerLogger } from '@cluster-course/shared';
import { config } from './config.ts';

export function runWorker(): void {
  const id = cluster.worker?.id ?? 0;
  const log = workerLogger(id);
  log(`Worker ${process.pid} started`);

  const server = http.createServer((req, res) => {
    // Every answer says who produced it: that is how you see the balancing.
    res.setHeader('x-worker-id', id);
    res.setHeader('x-worker-pid', process.pid);
    res.setHeader('content-type', 'text/plain; charset=utf-8');
    if (req.url !== '/') {
      res.statusCode = 404;
      res.end('not found\n');
    } else if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.statusCode = 405;
      res.end('method not allowed: use GET\n');
    } else {
      res.end(`Hello from worker ${id} (pid ${process.pid})\n`);
    }
  });

  // In a worker, listen() asks the primary for the port. If that fails
  // (port in use...), the worker reports it and waits: the primary prints
  // the one line and stops everyone (see listenOrReport in shared/).
  listenOrReport(server, { host: config.host, port: config.port });

  // Ctrl-C in a terminal signals every process of the foreground group, the
  // workers too. The primary runs the shutdown; a worker waits to be told.
  process.on('SIGINT', () => {});
}
