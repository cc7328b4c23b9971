// One Redis connection per worker (node-redis, the official client), set up
// so that a Redis that is down costs a request a 503, never a hang or a
// crash (a Redis that stalls is src/deadline.ts's):
//   - disableOfflineQueue: while disconnected, a command fails at once
//     instead of waiting in a queue to be sent when Redis is back, long after
//     its client gave up;
//   - reconnectStrategy: try again forever, 50 ms then doubling to 1 s: Redis
//     comes back, and nothing has to restart for the app to recover.
// An 'error' listener is required: without one, the client's first error
// (a refused reconnect) would be thrown and would crash the worker.
import { once } from 'node:events';
import { createClient } from 'redis';

const clientFor = (url: string) =>
  createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 2_000,
      reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, 1_000),
    },
  });
export type Redis = ReturnType<typeof clientFor>;

/**
 * A connected client, or one still trying: resolves once the first attempt
 * has connected or failed. Either way the worker serves; its state routes
 * answer 503 until Redis is there.
 */
export async function connectRedis(url: string, log: (line: string) => void): Promise<Redis> {
  const client = clientFor(url);
  let down = false; // one line per outage, not one per retry
  client.on('error', (err: Error) => {
    if (!down) log(`redis: ${err.message || err.name}; retrying in the background`);
    down = true;
  });
  client.on('ready', () => {
    if (down) log('redis: connected again');
    down = false;
  });
  const connected = client.connect().catch(() => {});
  await Promise.race([connected, once(client, 'error')]);
  return client;
}
