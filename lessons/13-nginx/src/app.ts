// What each worker of an instance serves. Every answer says which instance
// (machine), which worker and which pid, so a client can see both levels of
// balancing: nginx's choice of instance, then the cluster's choice of worker.
//   GET /              a short hello
//   GET|POST /slow?ms=N  an answer after N ms: a request in flight, to kill an
//                      instance under (GET is retried by nginx, POST is not)
// Told to stop (STOP from the instance's primary), it drains the way lesson 08
// taught: stop accepting, finish what is in flight, close idle keep-alive
// connections (nginx pools them), then leave the cluster and exit.
import cluster from 'node:cluster';
import http from 'node:http';
// Building on lesson 08 on purpose: its drain.
import { drainable } from '@cluster-course/08-graceful-restart/drain';
import { ignoreTerminalCtrlC, listenOrReport, type ServerEnv, workerLogger } from '@cluster-course/shared';
import { STOP } from './messages.ts';

export function runApp(instance: number, { host, port }: ServerEnv): void {
  const id = cluster.worker?.id ?? 0;
  const log = workerLogger(id);
  const server = http.createServer((req, res) => {
    const reply = (status: number, text: string) => {
      res.setHeader('x-instance', instance);
      res.setHeader('x-worker-id', id);
      res.setHeader('x-worker-pid', process.pid);
      res.setHeader('content-type', 'text/plain; charset=utf-8');
      if (drainer.draining) res.setHeader('connection', 'close'); // come back on a new connection
      res.statusCode = status;
      res.end(`${text}\n`);
    };
    const url = new URL(req.url ?? '/', 'http://localhost');
    const who = `instance ${instance}, worker ${id} (pid ${process.pid})`;
    if (url.pathname === '/slow' && (req.method === 'GET' || req.method === 'POST')) {
      const raw = url.searchParams.get('ms') ?? '1000';
      if (!/^\d{1,5}$/.test(raw) || Number(raw) > 60_000) return reply(400, 'ms must be an integer from 0 to 60000');
      log(`${req.method} /slow: holding this request for ${raw} ms`);
      const timer = setTimeout(() => reply(200, `${who} waited ${raw} ms`), Number(raw));
      req.once('close', () => {
        if (!res.writableEnded) clearTimeout(timer); // nginx gave up on it
      });
      return;
    }
    if (req.method !== 'GET') return reply(405, 'method not allowed');
    if (url.pathname === '/') return reply(200, `Hello from ${who}`);
    return reply(404, 'not found');
  });
  const drainer = drainable(server);
  listenOrReport(server, { host, port });

  process.on('message', (message) => {
    if ((message as { type?: unknown } | null)?.type !== STOP.type) return;
    drainer.drain(() => {
      // Drained. Leaving the cluster ourselves (not process.exit()) lets the
      // primary hand back any connection it dealt us as we closed (lesson 08).
      log('drained; leaving the cluster');
      cluster.worker?.disconnect();
    });
  });
  ignoreTerminalCtrlC();
}
