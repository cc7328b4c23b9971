// With REDIS_URL the server is not ours: the lesson never flushes it. At its
// stop it deletes its own keys, and only them: those under its prefix,
// found with SCAN (in steps, never blocking the server as KEYS would).
import { createClient } from 'redis';

export async function forgetOwnKeys(url: string, prefix: string, log: (line: string) => void): Promise<void> {
  const client = createClient({ url, commandOptions: { timeout: 2_000 }, socket: { reconnectStrategy: false } });
  client.on('error', () => {});
  try {
    await client.connect();
    let deleted = 0;
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 100 })) {
      if (keys.length) deleted += await client.unlink(keys);
    }
    log(`deleted this run's ${deleted} keys (${prefix}*) from ${url}`);
  } catch (err) {
    log(`could not delete this run's keys from ${url}: ${(err as Error).message}`);
  } finally {
    await client.close().catch(() => {});
  }
}
