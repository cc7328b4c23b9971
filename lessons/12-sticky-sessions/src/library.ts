// MODE=library: the recipe from the Socket.IO docs ("Using multiple nodes",
// and the pages of @socket.io/sticky and @socket.io/cluster-adapter).
//   @socket.io/sticky: the primary listens and reads the start of each
//     request. A request that carries a session id (sid=...) goes to the
//     worker that owns that session; a new one to the next worker in turn
//     (loadBalancingMethod 'round-robin'; the library's default,
//     'least-connection', gave every client of a burst to one worker: see the
//     README). Unlike MODE=sticky, clients behind one address still spread.
//   @socket.io/cluster-adapter: a broadcast in one worker is sent to the
//     primary, which relays it to every other worker, which emits it to its
//     own clients. Broadcasts reach everyone, whichever worker they are on.
import cluster, { type Worker } from 'node:cluster';
import type http from 'node:http';
import net from 'node:net';
import { createAdapter, setupPrimary } from '@socket.io/cluster-adapter';
import { setupMaster, setupWorker } from '@socket.io/sticky';
import type { Server } from 'socket.io';

/** In the primary, before the first fork. `server` is not listening yet. */
export function useLibraryInPrimary(server: http.Server): void {
  // The relayed packets and the first chunk of each request are Buffers; the
  // default JSON serialization of IPC messages would turn them into plain objects.
  cluster.setupPrimary({ serialization: 'advanced' });
  setupMaster(server, { loadBalancingMethod: 'round-robin' }); // the sticky routing
  setupPrimary(); // the relay of broadcasts between workers
  cluster.on('fork', stopReadingOnHandOff);
}

/** In a worker, on its Socket.IO server. */
export function useLibraryInWorker(io: Server): void {
  io.adapter(createAdapter());
  setupWorker(io); // accepts the connections the primary hands over
  announceSessionsEarly(io);
}

// The second gap, found under load. setupWorker() tells the primary "session
// <sid> is mine" once the handshake is done, and by then the answer with that
// sid is already on its way to the client. On a busy machine the worker can
// be paused by the OS between the two writes: the client reads its sid, sends
// its next request, and the primary deals it by round-robin, to a worker that
// answers 400 "Session ID unknown". So the worker says it owns the sid when
// the sid is made, before any answer carries it. (The message is the one
// @socket.io/sticky's setupWorker() sends; its primary just sets it again.)
function announceSessionsEarly(io: Server): void {
  const makeId = io.engine.generateId.bind(io.engine);
  io.engine.generateId = (req) => {
    const sid = makeId(req) as string; // Engine.IO's default is synchronous: 20 characters
    process.send?.({ type: 'sticky:connection', data: sid });
    return sid;
  };
}

// The third gap, found by a soak run of this lesson's tests, then forced by
// one of them. worker.send(message, socket) hands the socket to the worker,
// but Node.js closes the primary's copy only once the worker has said it
// got it (NODE_HANDLE_ACK); until then that copy goes on reading, and throws
// away what it reads (lib/internal/child_process.js sets its onread to a
// no-op). The child_process docs' example avoids it with pauseOnConnect: the
// parent never reads. @socket.io/sticky must read the first chunk to find
// the sid, so its sockets are reading when they are handed over. A
// WebSocket client speaks as soon as it has its 101: if the primary is slow
// to take the worker's word, it can read the client's first frame (the
// upgrade probe) and drop it. The worker never sees it, and the client stays
// on long-polling, with no error anywhere. So: stop reading, then hand over.
function stopReadingOnHandOff(worker: Worker): void {
  const send = worker.send.bind(worker) as (...args: unknown[]) => boolean;
  worker.send = ((...args: unknown[]) => {
    // net.Socket has no public "stop reading now": pause() only stops the
    // 'data' events, its libuv handle reads on. The handle has readStop().
    const handle = args[1];
    if (handle instanceof net.Socket) (handle as unknown as { _handle?: { readStop(): number } })._handle?.readStop();
    return send(...args);
  }) as typeof worker.send;
}

// One thing the recipe leaves out. @socket.io/sticky deals new sessions
// among `cluster.workers`, and Node.js lists a worker there the moment it is
// forked, before its code has loaded and setupWorker() runs. A connection
// handed to it then finds nobody listening for it and is lost: the client
// waits for its timeout (20 s by default) and tries again. That is exactly
// when clients reconnect: after a worker died and its replacement is
// starting. So a worker joins `cluster.workers` only once it says it is ready.
// (The primary keeps its own list, src/pool.ts, for everything else.)

/** Right after cluster.fork(): keep the new worker out of the library's rotation. */
export function keepOutOfRotation(worker: Worker): void {
  if (cluster.workers) delete cluster.workers[worker.id];
}

/** Once the worker is ready: deal it sessions too. */
export function addToRotation(worker: Worker): void {
  if (cluster.workers) cluster.workers[worker.id] = worker;
}
