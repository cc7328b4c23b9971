// A private folder for a foreign engine's state (PM2's home in lesson 11,
// nginx's prefix in lesson 13), so the lesson never touches the user's own:
// `$TMPDIR/cluster-course-<kind>/<pid>`, named after the lesson's pid and
// removed when the lesson stops. A lesson killed outright (SIGKILL) cannot
// remove it; the next start removes every folder whose process is gone.
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** True while `pid` exists and is not a zombie (its /proc stat says Z). */
export function ownerAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true; // no /proc (macOS): signal 0 is the best we have
  }
}

/** The parent of every folder of one kind, e.g. `/tmp/cluster-course-pm2`. */
export function stateRoot(kind: string): string {
  return join(tmpdir(), `cluster-course-${kind}`);
}

/** Removes every folder of this kind whose lesson process is gone. */
export function sweepStaleStateDirs(kind: string): void {
  const root = stateRoot(kind);
  mkdirSync(root, { recursive: true });
  for (const name of readdirSync(root)) {
    if (/^\d+$/.test(name) && !ownerAlive(Number(name))) rmSync(join(root, name), { recursive: true, force: true });
  }
}

/** Sweeps stale folders, then creates this process's own and returns its path. */
export function privateStateDir(kind: string): string {
  sweepStaleStateDirs(kind);
  const dir = join(stateRoot(kind), String(process.pid));
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function removeStateDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
