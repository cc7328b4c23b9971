// A worker with ways to break it on purpose, so the primary's exit handling
// can be watched:
//   POST /crash          an uncaught exception, right after the response:
//                        Node's default, print it and exit 1 at once (part 2,
//                        stranded/, shows what that can do to a connection)
//   POST /exit?code=N    responds, then process.exit(N)
//   POST /leave          responds, then leaves through its own
//                        cluster.worker.disconnect(): exitedAfterDisconnect
//   POST /kill-me        responds, then asks the primary to worker.kill() it:
//                        a SIGTERM, and exitedAfterDisconnect stays false
//   CRASH_ON_START=1     throws before it even listens
import cluster from 'node:cluster';
import http from 'node:http';
import { ignoreTerminalCtrlC, listenOrReport, workerLogger } from '@cluster-course/shared';
import { config } from './config.ts';
import { KILL_ME } from './messages.ts';

/** Starts this worker's server; part 2 (stranded/) adds its crash handler to it. */
export function runWorker(): http.Server {
  const id = cluster.worker?.id ?? 0;
  const log = workerLogger(id);

  if (config.crashOnStart) {
    // Uncaught: Node prints it and exits with code 1, before listen().
    throw new Error(`CRASH_ON_START=1: worker ${id} fails on purpose while starting`);
  }
  log(`Worker ${process.pid} started`);

  const server = http.createServer((req, res) => {
    res.setHeader('x-worker-id', id);
    res.setHeader('x-worker-pid', process.pid);
    res.setHeader('content-type', 'text/plain; charset=utf-8');
    const url = new URL(req.url ?? '/', 'http://localhost');
    const reply = (status: number, text: string) => {
      res.statusCode = status;
      res.end(`${text}\n`);
    };

    if (url.pathname === '/' && req.method === 'GET') {
      return reply(200, `Hello from worker ${id} (pid ${process.pid})`);
    }
    if (url.pathname === '/crash' && req.method === 'POST') {
      // This process is about to die: tell the client not to reuse the connection.
      res.setHeader('connection', 'close');
      reply(200, `worker ${id} (pid ${process.pid}) will now throw an uncaught exception`);
      res.once('finish', () => {
        log('POST /crash: throwing');
        setImmediate(() => {
          throw new Error(`POST /crash: worker ${id} crashes on purpose`);
        });
      });
      return;
    }
    if (url.pathname === '/exit' && req.method === 'POST') {
      const raw = url.searchParams.get('code') ?? '0';
      if (!/^\d{1,3}$/.test(raw) || Number(raw) > 255) return reply(400, 'code must be an integer from 0 to 255');
      const code = Number(raw);
      res.setHeader('connection', 'close');
      reply(200, `worker ${id} (pid ${process.pid}) will now exit with code ${code}`);
      res.once('finish', () => {
        log(`POST /exit: process.exit(${code})`);
        process.exit(code);
      });
      return;
    }
    if (url.pathname === '/leave' && req.method === 'POST') {
      res.setHeader('connection', 'close');
      reply(200, `worker ${id} (pid ${process.pid}) will now leave with cluster.worker.disconnect()`);
      // disconnect() closes our server, waits for its connections to end, then
      // closes the IPC channel; with nothing left to do the process exits 0.
      res.once('finish', () => {
        log('POST /leave: cluster.worker.disconnect()');
        cluster.worker?.disconnect();
      });
      return;
    }
    if (url.pathname === '/kill-me' && req.method === 'POST') {
      res.setHeader('connection', 'close');
      reply(200, `worker ${id} (pid ${process.pid}) asks the primary for worker.kill()`);
      res.once('finish', () => process.send?.(KILL_ME));
      return;
    }
    if (['/', '/crash', '/exit', '/leave', '/kill-me'].includes(url.pathname)) return reply(405, 'method not allowed');
    return reply(404, 'not found');
  });

  listenOrReport(server, { host: config.host, port: config.port });
  ignoreTerminalCtrlC();
  return server;
}
