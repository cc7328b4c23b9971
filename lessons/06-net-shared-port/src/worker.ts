// A worker: a plain TCP server (node:net), the first example of "Cluster
// servers in Node.js". It greets each connection, answers each line (the
// framing is src/lines.ts), and closes on `quit`.
// The port is shared exactly as for HTTP: net.Server.listen() in a worker
// goes through the primary.
import cluster from 'node:cluster';
import net from 'node:net';
import { ignoreTerminalCtrlC, listenOrReport, workerLogger } from '@cluster-course/shared';
import { config, MAX_LINE_BYTES } from './config.ts';
import { readLines } from './lines.ts';

export function runWorker(): void {
  const id = cluster.worker?.id ?? 0;
  const log = workerLogger(id);
  log(`Worker ${process.pid} started`);
  const open = new Set<net.Socket>();

  const server = net.createServer((socket) => {
    open.add(socket);
    socket.write(`hello from worker ${id} (pid ${process.pid})\n`);
    // One line in, one line out; `quit` ends the conversation.
    readLines(socket, MAX_LINE_BYTES, (line) => {
      if (line.trim() === 'quit') socket.end('bye\n');
      else socket.write(`worker ${id}: ${line}\n`);
    });
    // A client that resets the connection is not our error.
    socket.on('error', () => {});
    socket.on('close', () => open.delete(socket));
  });

  listenOrReport(server, { host: config.host, port: config.port });

  // The primary says when to stop. A TCP server's close() waits for every
  // open connection, so say goodbye to each one first.
  process.on('message', (message) => {
    if (message !== 'shutdown') return;
    for (const socket of open) socket.end('bye: server shutting down\n');
    cluster.worker?.disconnect();
  });
  ignoreTerminalCtrlC();
}
