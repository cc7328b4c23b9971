// A worker that can stop without dropping anything. When told to stop it
// drains (src/drain.ts: stop accepting, finish what is in flight, close
// keep-alive connections once idle, answer `Connection: close` meanwhile),
// and when the last connection is closed tells the primary `drained`; the
// primary then disconnects it and it exits.
// Why not process.exit() right there? Under round-robin the primary may
// already have sent this worker one more connection when server.close()
// reached it. Node.js sends such a late connection back to the primary for
// another worker, but only if this process is still alive to receive it. A
// worker that exits on its own can strand that connection.
// The primary enforces a deadline on all of this.
import cluster from 'node:cluster';
import http from 'node:http';
import { ignoreTerminalCtrlC, listenOrReport, workerLogger } from '@cluster-course/shared';
import { config } from './config.ts';
import { drainable } from './drain.ts';
import { DRAINED, isMessage, STOP } from './messages.ts';

export function runWorker(): void {
  const id = cluster.worker?.id ?? 0;
  const log = workerLogger(id);
  log(`Worker ${process.pid} started`);
  let inFlight = 0;

  const server = http.createServer((req, res) => {
    inFlight += 1;
    res.once('close', () => {
      inFlight -= 1;
    });
    const reply = (status: number, text: string) => {
      res.setHeader('x-worker-id', id);
      res.setHeader('x-worker-pid', process.pid);
      res.setHeader('content-type', 'text/plain; charset=utf-8');
      // Draining: tell keep-alive clients to come back on a new connection.
      if (drainer.draining) res.setHeader('connection', 'close');
      res.statusCode = status;
      res.end(`${text}\n`);
    };

    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'GET') return reply(405, 'method not allowed: use GET');
    if (url.pathname === '/') return reply(200, `Hello from worker ${id} (pid ${process.pid})`);
    if (url.pathname === '/slow') {
      const raw = url.searchParams.get('ms') ?? '1000';
      if (!/^\d{1,6}$/.test(raw) || Number(raw) > 600_000) {
        return reply(400, 'ms must be an integer from 0 to 600000');
      }
      log(`GET /slow: holding this request for ${raw} ms`);
      const timer = setTimeout(() => reply(200, `worker ${id} (pid ${process.pid}) waited ${raw} ms`), Number(raw));
      req.once('close', () => {
        if (!res.writableEnded) clearTimeout(timer); // the client gave up
      });
      return;
    }
    return reply(404, 'not found');
  });
  const drainer = drainable(server);

  function drain(why: string): void {
    if (drainer.draining) return;
    if (!server.listening) {
      // Stopped before it ever served (its listen may still be on its way to
      // the primary): nothing to drain, nothing the primary could hand us.
      log(`${why}: not serving yet; exiting`);
      process.exit(0);
    }
    log(`${why}: not accepting; ${inFlight} request(s) in flight`);
    drainer.drain(() => {
      log('every connection closed; drained');
      if (process.connected) process.send?.(DRAINED);
    });
  }

  listenOrReport(server, { host: config.host, port: config.port });

  process.on('message', (message: unknown) => {
    if (isMessage(message, STOP)) drain('asked to stop');
  });
  // `kill <worker pid>` or a SIGTERM to the whole process group: same drain.
  process.on('SIGTERM', () => drain('SIGTERM'));
  ignoreTerminalCtrlC();
}
