// Which open connections may a draining worker close?
//
// server.closeIdleConnections() (which http.Server's close() also runs)
// closes every connection with no request in progress. That includes one the
// worker accepted a moment ago whose first request has not been read yet:
// the client sent it, and gets a reset instead of an answer. So we keep track
// ourselves:
// - a connection between two requests (kept alive after an answer) is idle:
//   close it at once, the client will open a new one (to another worker);
// - a connection that has not carried a request yet gets a short grace to
//   send its first one, which is then answered with `Connection: close`.
//   (It may also be a browser's preconnect that never sends anything.)
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

export const FIRST_REQUEST_GRACE_MS = 1_000;

export function trackConnections(server: Server): { closeWaiting(): void } {
  const waiting = new Set<Socket>(); // open, no request in progress
  const used = new WeakSet<Socket>(); // has carried a request
  const graces = new Map<Socket, NodeJS.Timeout>();
  let draining = false;

  server.on('connection', (socket: Socket) => {
    waiting.add(socket);
    socket.once('close', () => {
      waiting.delete(socket);
      clearTimeout(graces.get(socket));
      graces.delete(socket);
    });
  });

  server.on('request', (req, res) => {
    const socket = req.socket;
    waiting.delete(socket);
    used.add(socket);
    clearTimeout(graces.get(socket));
    graces.delete(socket);
    res.once('finish', () => {
      if (socket.destroyed) return;
      // Draining: the answer said `Connection: close`; make sure of it.
      if (draining) socket.end();
      else waiting.add(socket);
    });
  });

  return {
    closeWaiting() {
      draining = true;
      for (const socket of waiting) {
        if (used.has(socket)) socket.destroy();
        else
          graces.set(
            socket,
            setTimeout(() => socket.destroy(), FIRST_REQUEST_GRACE_MS),
          );
      }
    },
  };
}
