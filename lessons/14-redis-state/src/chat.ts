// Real time across machines: a Socket.IO chat whose messages reach every
// client, whichever instance and worker holds its connection.
//   - STATE=redis: the Redis Streams adapter (@socket.io/redis-streams-adapter).
//     Every broadcast is appended to one Redis stream that every worker of
//     every instance reads. Lesson 12's cluster adapter spoke over the
//     primary's IPC: one machine only.
//   - STATE=memory: Socket.IO's default adapter, this process alone.
// Connection state recovery: a client that loses its connection and comes
// back within 2 minutes gets its id back and the broadcasts it missed. The
// process that held the connection writes the session down when it sees the
// disconnection (the adapter keeps it in Redis, so another instance can
// restore it): a process killed outright writes nothing (README, "Recovery").
// Only WebSocket: behind nginx and a cluster, the HTTP long-polling transport
// would need every request of a client on one worker (sticky sessions, lesson 12).
import type http from 'node:http';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { createClient } from 'redis';
import { Server } from 'socket.io';
import type { History } from './chat-history.ts';

export interface ChatOptions {
  instance: number;
  workerId: number;
  redisUrl: string | undefined;
  prefix: string;
  history: History;
}

export function startChat(server: http.Server, o: ChatOptions) {
  // The adapter's own connection: it blocks on XREAD, so it cannot share the
  // request path's (whose commands must answer within REDIS_TIMEOUT_MS).
  const redis = o.redisUrl
    ? createClient({ url: o.redisUrl, socket: { reconnectStrategy: (n) => Math.min(50 * 2 ** n, 1_000) } })
    : undefined;
  redis?.on('error', () => {}); // told once by src/redis/client.ts; this one retries alike
  redis?.connect().catch(() => {});
  const io = new Server(server, {
    transports: ['websocket'],
    adapter: redis
      ? createAdapter(redis, {
          streamName: `${o.prefix}socket.io`,
          sessionKeyPrefix: `${o.prefix}sio:session:`,
          // Its reader waits in XREAD BLOCK for at most this long; a worker that
          // drains exits only once that read returns (5 s by default).
          blockTimeInMs: 1_000,
        })
      : undefined,
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60 * 1000 },
  });
  const who = { instance: o.instance, workerId: o.workerId };
  const failed = { error: 'the state store (Redis) is unavailable; try again' };
  io.on('connection', (socket) => {
    socket.emit('welcome', { ...who, pid: process.pid, recovered: socket.recovered });
    // say: recorded first (that gives it its id), then sent to every client of every instance.
    socket.on('say', async (text: unknown, ack?: (reply: unknown) => void) => {
      if (typeof text !== 'string' || text.length > 500)
        return ack?.({ error: 'say takes a string of at most 500 characters' });
      try {
        const said = await o.history.add({ text, ...who });
        io.emit('said', said);
        ack?.({ ok: true, id: said.id });
      } catch {
        ack?.(failed);
      }
    });
    // since: what was said after the last id the client saw (when it was not recovered).
    socket.on('since', async (id: unknown, ack?: (reply: unknown) => void) => {
      if (typeof id !== 'string' || !/^\d+-\d+$/.test(id)) return ack?.({ error: 'since takes a message id' });
      try {
        ack?.({ ok: true, missed: await o.history.since(id) });
      } catch {
        ack?.(failed);
      }
    });
  });
  return {
    /**
     * Closes every client's connection: each reconnects, through nginx, to
     * another instance, and this process writes its session to Redis first.
     */
    closeConnections: () => io.engine.close(),
    /** Last: the adapter (its heartbeat, its reads) and its connection, once the sessions above are written. */
    async closeRedis() {
      await io.of('/').adapter.close();
      await redis?.close().catch(() => {}); // close() waits for the commands in flight
    },
  };
}
