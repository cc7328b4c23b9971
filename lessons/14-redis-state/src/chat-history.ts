// The chat's own record of what was said, so a client can catch up however
// it lost its connection. Connection state recovery (src/chat.ts) replays
// missed messages only if the process that held the connection lived to
// write the session down; a process killed outright (kill -9, the OOM
// killer, a machine that loses power) writes nothing. So every message is
// also appended to a Redis stream, whose entry id is the message's id; a
// client that comes back unrecovered asks for everything after the last id
// it saw (XRANGE with an exclusive start). STATE=memory keeps the record in
// the process: it knows only what this one process said.
import type { Redis } from './redis/client.ts';

export interface Said {
  id: string;
  text: string;
  instance: number;
  workerId: number;
}

export interface History {
  /** Records a message; resolves with it, id included. */
  add(message: Omit<Said, 'id'>): Promise<Said>;
  /** Every message after `id` (at most 100). */
  since(id: string): Promise<Said[]>;
}

export function redisHistory(redis: Redis, key: string): History {
  return {
    async add(message) {
      // MAXLEN ~ 1000: the stream keeps about the last thousand messages.
      const id = await redis.xAdd(
        key,
        '*',
        { json: JSON.stringify(message) },
        { TRIM: { strategy: 'MAXLEN', strategyModifier: '~', threshold: 1_000 } },
      );
      return { id, ...message };
    },
    async since(id) {
      const entries = (await redis.xRange(key, `(${id}`, '+', { COUNT: 100 })) ?? [];
      return entries.map((entry) => ({ id: entry.id, ...JSON.parse(String(entry.message.json)) }));
    },
  };
}

export function memoryHistory(): History {
  const said: Said[] = [];
  let next = 0;
  return {
    async add(message) {
      next += 1;
      const entry = { id: `0-${next}`, ...message };
      said.push(entry);
      if (said.length > 1_000) said.shift();
      return entry;
    },
    async since(id) {
      const after = Number(id.split('-')[1] ?? 0);
      return said.filter((m) => Number(m.id.split('-')[1]) > after).slice(0, 100);
    },
  };
}
