// PM2 keeps its state in PM2_HOME (~/.pm2 unless told otherwise): its RPC
// sockets, pid files, logs, the saved process list. The lesson gives PM2 a
// home of its own, so it never touches yours: a folder named after the
// lesson's pid, removed when the lesson stops. A lesson killed outright
// (SIGKILL) cannot remove it; the next start removes every home whose
// process is gone.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const HOMES = join(tmpdir(), 'cluster-course-pm2');

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes every home whose lesson process is gone. */
export function sweepStaleHomes(): void {
  mkdirSync(HOMES, { recursive: true });
  for (const name of readdirSync(HOMES)) {
    if (/^\d+$/.test(name) && !isAlive(Number(name))) rmSync(join(HOMES, name), { recursive: true, force: true });
  }
}

export function privateHome(): string {
  sweepStaleHomes();
  const home = join(HOMES, String(process.pid));
  mkdirSync(home, { recursive: true });
  return home;
}

export function removeHome(home: string): void {
  rmSync(home, { recursive: true, force: true });
}
