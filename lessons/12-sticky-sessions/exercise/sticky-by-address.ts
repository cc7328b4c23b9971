// EXERCISE (lesson 12): the hand-off is missing (TODOs below): in
// MODE=sticky the primary answers every connection 501 itself, and the
// workers take none. Check your work with `pnpm exercise 12`; stuck?
// `pnpm exercise 12 --hint`.
//
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
import { CONNECTION, isMessage } from '../src/messages.ts'; // the files you do not edit stay in src/

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
    // TODO 1: pick the worker for this client: the same client address, the
    // same worker, every time (addressHash() of the client's address).
    // None ready: answer 503 and close. Otherwise send the socket's handle
    // to the worker, with the CONNECTION message (worker.send(message,
    // socket, callback)); if the send fails, destroy the socket.
    void pick;
    void CONNECTION;
    socket.end('HTTP/1.1 501 Not Implemented\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
}

/** In a worker: every socket the primary hands over becomes a connection of `server`. */
export function acceptHandedConnections(server: net.Server): void {
  // TODO 2: on each CONNECTION message from the primary (process 'message',
  // with the socket as its second argument; isMessage() tells the message),
  // make the socket a connection of `server`, as if the server had accepted
  // it itself.
  void server;
  void isMessage;
}
