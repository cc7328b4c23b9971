// The demo's clients: real socket.io-client instances, each from its own
// loopback address if it can (Linux routes all of 127.0.0.0/8 to the
// loopback interface; macOS has only 127.0.0.1 unless you add aliases).
import { type EventEmitter, once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import { io, type Socket } from 'socket.io-client';

export type Transports = ('polling' | 'websocket')[];

export interface Who {
  workerId: number;
  workerPid: number;
}

/** Can this machine send from 127.0.0.2? */
export async function manyLoopbackAddresses(): Promise<boolean> {
  const probe = net.createServer().listen(0, '127.0.0.2');
  try {
    await once(probe, 'listening');
    return true;
  } catch {
    return false;
  } finally {
    probe.close();
  }
}

/** Opens `count` clients at once; resolves with the ones that connected and how many failed. */
export async function connectMany(url: string, count: number, transports: Transports, addresses: boolean) {
  const sockets = Array.from({ length: count }, (_, i) => {
    const agent = new http.Agent({ localAddress: addresses ? `127.0.0.${i + 2}` : '127.0.0.1' });
    return io(url, {
      transports,
      agent: agent as unknown as string,
      forceNew: true,
      reconnection: false,
      timeout: 5_000,
    });
  });
  const results = await Promise.all(
    sockets.map((socket) =>
      Promise.race([
        once(socket as unknown as EventEmitter, 'connect').then(() => true),
        once(socket as unknown as EventEmitter, 'connect_error').then(() => false),
      ]),
    ),
  );
  const connected = sockets.filter((_, i) => results[i]);
  return {
    connected,
    failed: count - connected.length,
    close: () => {
      for (const s of sockets) s.disconnect();
    },
  };
}

export const whoami = (socket: Socket): Promise<Who> => socket.timeout(5_000).emitWithAck('whoami');

/**
 * The first client says something to everyone. How many clients get it
 * within `withinMs`? A client on another worker hears it only after the
 * message has gone from its worker through the primary to the other one (the
 * cluster adapter), so nothing on the client's own connection says when it
 * has arrived (a round trip to its worker can overtake it): we wait for
 * every client to hear it, or for the deadline, whichever comes first.
 */
export async function broadcastReach(sockets: Socket[], withinMs = 5_000): Promise<number> {
  const got = new Set<Socket>();
  const [sender] = sockets;
  if (!sender) return 0;
  const heard = sockets.map((socket) =>
    once(socket as unknown as EventEmitter, 'message', { signal: AbortSignal.timeout(withinMs) }).then(
      () => got.add(socket),
      () => {}, // not within the deadline: it did not hear it
    ),
  );
  sender.emit('message', 'hello, everyone');
  await Promise.all(heard);
  return got.size;
}
