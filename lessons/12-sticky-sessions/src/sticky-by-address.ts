// MODE=sticky, written out: the primary routes every connection itself.
//
// node:cluster's round-robin deals each new connection to the next worker.
// A Socket.IO client on HTTP long-polling makes many requests over several
// connections (the handshake, then a GET that waits for messages and POSTs
// that send them), and only the worker that did the handshake knows the
// session. So the primary listens itself, and for each connection:
//   1. it does not read from it (pauseOnConnect: the bytes stay in the
//      kernel, for the worker to read),
//   2. it picks a worker from the client's IP address (the same address,
//      the same worker, every time),
//   3. it sends the socket's handle to that worker over IPC
//      (worker.send(message, socket), from the child_process docs),
// and the worker treats it as a connection its own HTTP server accepted.
// Workers never listen on the port. The cost: the primary touches every
// connection, so it is one more process every connection waits for.
import type { Worker } from 'node:cluster';
import net from 'node:net';
import { CONNECTION, isMessage } from './messages.ts';

/** FNV-1a, 32 bits: a fast, stable hash; the same address always gives the same number. */
export function addressHash(address: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < address.length; i++) {
    hash ^= address.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** In the primary: a server that hands each connection to `pick(hash of its address)`. */
export function stickyByAddress(pick: (hash: number) => Worker | undefined): net.Server {
  return net.createServer({ pauseOnConnect: true }, (socket) => {
    const worker = pick(addressHash(socket.remoteAddress ?? ''));
    if (!worker) {
      // Every worker is gone or starting: say so rather than leave the client waiting.
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    // Sent, the handle is closed in the primary; the worker owns the connection.
    // If the worker died in between, the send fails: drop the connection
    // (the client sees it closed and retries) rather than hold it forever.
    worker.send(CONNECTION, socket, (err) => {
      if (err) socket.destroy();
    });
  });
}

/** In a worker: every socket the primary hands over becomes a connection of `server`. */
export function acceptHandedConnections(server: net.Server): void {
  process.on('message', (message: unknown, socket?: net.Socket) => {
    // No socket: the client hung up while its handle was on the way.
    if (!isMessage(message, CONNECTION) || !socket) return;
    // What the server does with one it accepted itself. No resume() needed:
    // pauseOnConnect paused the primary's Socket object, but here the handle
    // is a new Socket, which Node.js creates reading (on Node.js 20 and 26
    // alike), and the bytes the primary never read are still in the kernel.
    server.emit('connection', socket);
  });
}
