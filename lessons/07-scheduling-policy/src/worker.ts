// A worker: the smallest HTTP server that says who answered. Every response
// closes its connection, so each request is one connection to be scheduled.
import cluster from 'node:cluster';
import http from 'node:http';
import { ignoreTerminalCtrlC, listenOrReport, workerLogger } from '@cluster-course/shared';
import { config } from './config.ts';

export function runWorker(): void {
  const id = cluster.worker?.id ?? 0;
  workerLogger(id)(`Worker ${process.pid} started`);
  const server = http.createServer((req, res) => {
    res.setHeader('x-worker-id', id);
    res.setHeader('x-worker-pid', process.pid);
    res.setHeader('content-type', 'text/plain; charset=utf-8');
    res.setHeader('connection', 'close');
    if (req.url !== '/' || req.method !== 'GET') {
      res.statusCode = 404;
      res.end('not found\n');
      return;
    }
    res.end(`Hello from worker ${id} (pid ${process.pid})\n`);
  });
  listenOrReport(server, { host: config.host, port: config.port });
  ignoreTerminalCtrlC();
}
