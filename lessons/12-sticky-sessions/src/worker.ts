// A worker: an HTTP server with Socket.IO attached, and the chat. How
// connections reach it depends on the mode:
//   plain    it listens on the shared port itself (node:cluster, round-robin);
//   sticky   it never listens: the primary hands it connections (src/sticky-by-address.ts);
//   library  it never listens: @socket.io/sticky in the primary hands it
//            connections, and broadcasts go through the cluster adapter (src/library.ts).
// Once it can take connections it tells the primary READY.
import cluster from 'node:cluster';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ignoreTerminalCtrlC, listenOrReport, workerLogger } from '@cluster-course/shared';
import { Server } from 'socket.io';
import { serveChat } from './chat.ts';
import { config } from './config.ts';
import { useLibraryInWorker } from './library.ts';
import { READY, type Ready } from './messages.ts';
import { chatPage } from './page.ts';
import { acceptHandedConnections } from './sticky-by-address.ts';

export function runWorker(): void {
  const workerId = cluster.worker?.id ?? 0;
  const log = workerLogger(workerId);
  log(`Worker ${process.pid} started (MODE=${config.mode})`);
  const me = { workerId, workerPid: process.pid, mode: config.mode };

  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const reply = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': `${type}; charset=utf-8` }).end(body);
    };
    if (req.method !== 'GET') return reply(405, 'text/plain', 'method not allowed: use GET\n');
    if (path === '/') return reply(200, 'text/html', chatPage(workerId, config.mode));
    if (path === '/whoami') return reply(200, 'application/json', `${JSON.stringify(me)}\n`);
    return reply(404, 'text/plain', 'not found\n');
  });
  const io = new Server(server);
  // Every HTTP response says who wrote it, Socket.IO's included (its polling
  // requests, and its 400 "Session ID unknown"). Added after Socket.IO
  // attached itself, so this runs before Socket.IO's own handler.
  server.prependListener('request', (_req, res) => {
    res.setHeader('x-worker-id', workerId);
    res.setHeader('x-worker-pid', process.pid);
  });
  // A WebSocket upgrade is no 'request': its 101 is written by Engine.IO,
  // which asks for extra headers with this event (and for polling answers too).
  io.engine.on('headers', (headers: Record<string, string>) => {
    headers['x-worker-id'] = String(workerId);
    headers['x-worker-pid'] = String(process.pid);
  });
  if (config.mode === 'library') useLibraryInWorker(io);
  serveChat(io, me, log);

  const ready = (port?: number) => process.send?.({ ...READY, port } satisfies Ready);
  if (config.mode === 'plain') {
    // The port goes with the message: the primary's own 'listening' event
    // travels on the same channel but is not guaranteed to come first.
    server.once('listening', () => ready((server.address() as AddressInfo).port));
    listenOrReport(server, { host: config.host, port: config.port });
  } else {
    if (config.mode === 'sticky') acceptHandedConnections(server);
    ready();
  }

  // The primary stops us with worker.disconnect(). A chat has no "request in
  // flight" to finish (lesson 08): its connections last as long as the
  // client stays. Closing them tells each client, and a client that is not
  // leaving reconnects, to another worker if one is left.
  cluster.worker?.on('disconnect', () => {
    log(`stopping: closing ${io.engine.clientsCount} client connection(s)`);
    void io.close();
    server.closeAllConnections();
    setImmediate(() => process.exit(0)); // one turn for the close frames to be written
  });
  ignoreTerminalCtrlC(); // the primary leads the stop (shared/src/runtime/stop-workers.ts)
}
