// Changing nginx's configuration while it serves: write the new file, send
// the master SIGHUP. The master reads the file, starts new workers with it,
// and tells the old ones to finish what they are doing and exit; clients
// never see a gap. The rolling deploy uses it to take an instance out of the
// upstream group (`down`) before draining it, and to put it back after.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Nginx } from './process.ts';

/**
 * Writes `conf` and reloads nginx. Resolves once every old worker has exited,
 * so from then on only workers with the new configuration route requests.
 */
export async function reloadNginx(nginx: Nginx, prefix: string, confPath: string, conf: string): Promise<void> {
  writeFileSync(confPath, conf);
  const old = [...nginx.workers];
  const master = Number(readFileSync(join(prefix, 'nginx.pid'), 'utf8'));
  const started = nginx.nextLine(/start worker process (\d+)/);
  const gone = old.map((pid) => nginx.nextLine(new RegExp(`worker process ${pid} exited`)));
  process.kill(master, 'SIGHUP');
  await started;
  await Promise.all(gone);
}
