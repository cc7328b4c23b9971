// PID1=1: the app starts as PID 1 of a new PID namespace, as in every
// container: `unshare --pid --fork --mount-proc` (util-linux) makes the
// namespace, forks, and the child is its PID 1 (--mount-proc gives it a /proc
// that shows only the namespace; --kill-child ends it if unshare dies).
// The kernel treats PID 1 apart: a signal whose action is the default is not
// delivered to it (SIGKILL and SIGSTOP from outside excepted), so a PID 1
// without a SIGTERM handler survives `docker stop` until the SIGKILL.
// INIT=1 puts tini in front, as `docker run --init` does: tini is PID 1, passes
// signals on to the app (no longer PID 1, so default actions apply again), and
// reaps orphans, which a Node.js PID 1 never does (libuv waits only for the
// children it started).
import { readFileSync } from 'node:fs';
import { findSystemBinary } from '@cluster-course/shared/runtime/system-binary';

export function findTini(): string | undefined {
  return findSystemBinary(['tini', 'tini-static'], process.env.TINI);
}

export function missingTini(): string {
  return 'INIT=1 needs tini, and it is not installed: apt-get install tini (Debian, Ubuntu), or TINI=/path/to/tini';
}

/** The command the app runs as: node itself, or inside a namespace, or behind tini. */
export function appCommand(node: string[], pid1: boolean, tini: string | undefined): string[] {
  if (!pid1) return node;
  const unshare = ['unshare', '--pid', '--fork', '--mount-proc', '--kill-child'];
  return tini ? [...unshare, tini, '--', ...node] : [...unshare, ...node];
}

/** The pid a process has in its own namespace (the last NSpid field), if it can be read. */
export function pidInNamespace(pid: number): number | undefined {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^NSpid:\s+(.*)$/m)?.[1] ?? '';
    const pids = line.trim().split(/\s+/).map(Number);
    return pids.length > 1 ? pids.at(-1) : undefined;
  } catch {
    return undefined;
  }
}

/** Of the pids in the cgroup, the one that is PID 1 of a namespace (its host pid). */
export function namespaceInit(pids: number[]): number | undefined {
  return pids.find((pid) => pidInNamespace(pid) === 1);
}
