// The drain, once: how a server stops without dropping anything. Lessons 11
// and 13 import it from here, on purpose.
//   1. stop accepting: close the server (in a cluster this also takes the
//      worker out of the primary's rotation);
//   2. let the requests in flight finish: close() waits for every connection;
//   3. close keep-alive connections as soon as they are idle
//      (src/connections.ts says which count as idle). The caller's answers
//      say `Connection: close` meanwhile (`draining` tells it when), so no
//      client reuses this process;
//   4. `drained` runs when the last connection has closed.
// We call net.Server's close() on purpose: http.Server's own close() also
// runs closeIdleConnections(), which would close connections whose first
// request has not been read yet. We close the right ones ourselves, just after.
import type http from 'node:http';
import net from 'node:net';
import { trackConnections } from './connections.ts';

export interface Drainable {
  /** True from the first drain() on: answers should carry `Connection: close`. */
  readonly draining: boolean;
  /** Starts the drain (once; later calls do nothing); `drained` runs when every connection is closed. */
  drain(drained: () => void): void;
}

export function drainable(server: http.Server): Drainable {
  const connections = trackConnections(server);
  let draining = false;
  return {
    get draining() {
      return draining;
    },
    drain(drained) {
      if (draining) return;
      draining = true;
      net.Server.prototype.close.call(server, () => drained());
      connections.closeWaiting();
    },
  };
}
