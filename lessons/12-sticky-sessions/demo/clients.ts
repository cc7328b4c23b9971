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

export interface ClientOptions {
  /** The client's own address: 127.0.0.2 and up are loopback too, on Linux. */
  localAddress?: string;
  transports?: Transports;
  reconnect?: boolean;
}

/** A real socket.io-client, its every HTTP request and WebSocket from `localAddress`. */
export function client(url: string, { localAddress = '127.0.0.1', transports, reconnect = false }: ClientOptions = {}) {
  const agent = new http.Agent({ localAddress }); // no keep-alive: each request on a new connection
  return io(url, {
    transports,
    agent: agent as unknown as string, // the Node.js client passes it to its HTTP requests and to ws
    forceNew: true,
    reconnection: reconnect,
    reconnectionDelay: 100,
    reconnectionDelayMax: 200,
    randomizationFactor: 0,
    timeout: 5_000,
  });
}

/** node:events once() on socket.io-client's emitters (they have on/off, not Node's EventEmitter type). */
export const next = (emitter: object, event: string, options?: { signal?: AbortSignal }) =>
  once(emitter as EventEmitter, event, options);

/** Resolves true on 'connect', false on 'connect_error' (with reconnection off). */
export function connected(socket: Socket): Promise<boolean> {
  return Promise.race([next(socket, 'connect').then(() => true), next(socket, 'connect_error').then(() => false)]);
}

/** Resolves once the client has moved from long-polling to a WebSocket. */
export async function upgraded(socket: Socket): Promise<void> {
  const engine = socket.io.engine;
  if (engine.transport.name !== 'websocket') await next(engine, 'upgrade', { signal: AbortSignal.timeout(5_000) });
}

/** Opens `count` clients at once; resolves with the ones that connected and how many failed. */
export async function connectMany(url: string, count: number, transports: Transports, addresses: boolean) {
  const sockets = Array.from({ length: count }, (_, i) =>
    client(url, { transports, localAddress: addresses ? `127.0.0.${i + 2}` : '127.0.0.1' }),
  );
  const results = await Promise.all(sockets.map(connected));
  const ok = sockets.filter((_, i) => results[i]);
  return {
    connected: ok,
    failed: count - ok.length,
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
    next(socket, 'message', { signal: AbortSignal.timeout(withinMs) }).then(
      () => got.add(socket),
      () => {}, // not within the deadline: it did not hear it
    ),
  );
  sender.emit('message', 'hello, everyone');
  await Promise.all(heard);
  return got.size;
}
