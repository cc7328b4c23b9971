// A Redis that is not the lesson's, for REDIS_URL: someone else's server,
// with someone else's keys, that the lesson must use and leave as it found
// it (never stopped, never flushed, only its own keys deleted). Started
// here from a temporary folder, stopped by whoever started it.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { reservePorts } from '@cluster-course/shared';
import { createClient } from 'redis';

export async function foreignRedis(bin: string) {
  const dir = mkdtempSync(join(tmpdir(), 'foreign-redis-'));
  const [port] = await reservePorts(1);
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
  const server = spawn(bin, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const ready = new Promise<void>((resolve, reject) => {
    createInterface({ input: server.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      if (/Ready to accept connections/.test(line)) resolve();
    });
    server.once('exit', (code) => reject(new Error(`redis-server exited (code ${code})`)));
  });
  await ready;
  const url = `redis://127.0.0.1:${port}`;
  const client = createClient({ url });
  client.on('error', () => {});
  await client.connect();
  return {
    url,
    client,
    /** Every key on the server, sorted. */
    keys: async () => (await client.keys('*')).sort(),
    async stop() {
      await client.close().catch(() => {});
      const exited = once(server, 'exit');
      server.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
