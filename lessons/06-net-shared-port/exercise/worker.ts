// EXERCISE (lesson 06): the conversation is missing (TODO below): the
// server only says TODO and hangs up. Check your work with
// `pnpm exercise 06`; stuck? `pnpm exercise 06 --hint`.
//
// A worker: a plain TCP server (node:net), the first example of "Cluster
// servers in Node.js". It greets each connection, answers each line (the
// framing is src/lines.ts), and closes on `quit`.
// The port is shared exactly as for HTTP: net.Server.listen() in a worker
// goes through the primary.
import cluster from 'node:cluster';
import net from 'node:net';
import { ignoreTerminalCtrlC, listenOrReport, workerLogger } from '@cluster-course/shared';
import { config, MAX_LINE_BYTES } from '../src/config.ts'; // the files you do not edit stay in src/
import { readLines } from '../src/lines.ts';

export function runWorker(): void {
  const id = cluster.worker?.id ?? 0;
  const log = workerLogger(id);
  log(`Worker ${process.pid} started`);
  const open = new Set<net.Socket>();

  const server = net.createServer((socket) => {
    open.add(socket);
    // TODO: greet the client: `hello from worker ${id} (pid ${process.pid})`
    // and a newline. Then, for each line it sends (readLines(socket,
    // MAX_LINE_BYTES, (line) => ...) splits the stream for you), answer
    // `worker ${id}: ${line}`, or end the connection with `bye` on `quit`.
    void [readLines, MAX_LINE_BYTES]; // (only so the unfinished file compiles: delete it)
    socket.end('TODO in exercise/worker.ts: no conversation yet\n');
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
