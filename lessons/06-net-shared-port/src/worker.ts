// A worker: a plain TCP server (node:net), the first example of "Cluster servers in Node.js". It
// greets each connection, answers each line, and closes on `quit`.
// The port is shared exactly as for HTTP: net.Server.listen() in a worker
// goes through the primary.
import cluster from 'node:cluster';
import net from 'node:net';
import { ignoreTerminalCtrlC, listenOrReport, workerLogger } from '@cluster-course/shared';
import { config, MAX_LINE_BYTES } from './config.ts';

export function runWorker(): void {
  const id = cluster.worker?.id ?? 0;
  const log = workerLogger(id);
  log(`Worker ${process.pid} started`);
  const open = new Set<net.Socket>();

  const server = net.createServer((socket) => {
    open.add(socket);
    socket.setEncoding('utf8');
    socket.write(`hello from worker ${id} (pid ${process.pid})\n`);
    let buffered = '';
    const tooLong = (text: string) => Buffer.byteLength(text) > MAX_LINE_BYTES;
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      let newline = buffered.indexOf('\n');
      while (newline !== -1) {
        const line = buffered.slice(0, newline).replace(/\r$/, '');
        buffered = buffered.slice(newline + 1);
        if (tooLong(line)) break;
        if (line.trim() === 'quit') {
          socket.end('bye\n');
          return;
        }
        socket.write(`worker ${id}: ${line}\n`);
        newline = buffered.indexOf('\n');
      }
      if (newline !== -1 || tooLong(buffered)) {
        // A line (or what is already buffered of one) past the limit.
        socket.end(`error: line too long (max ${MAX_LINE_BYTES} bytes)\n`);
        buffered = '';
      }
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
