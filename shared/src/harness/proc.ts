// Looking at processes by pid: is it alive, who are its children, which
// processes are in a group. Linux reads /proc; elsewhere `ps` answers.
// (Who holds a socket: shared/src/runtime/sockets.ts.)
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ProcInfo {
  pid: number;
  ppid: number;
  pgid: number;
  /** Single-letter state; `Z` is a zombie: exited, not yet reaped. */
  state: string;
  /** Executable name, e.g. `node` or `esbuild`. */
  comm: string;
}

const hasProc = existsSync('/proc/self/stat');

function readStat(pid: number): ProcInfo | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // "pid (comm) state ppid pgrp ..."; comm may itself contain spaces or ')'.
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  const rest = text.slice(close + 2).split(' ');
  return {
    pid,
    comm: text.slice(open + 1, close),
    state: rest[0] ?? '?',
    ppid: Number(rest[1]),
    pgid: Number(rest[2]),
  };
}

/** Every process on the machine. */
export function processTable(): ProcInfo[] {
  if (hasProc) {
    const out: ProcInfo[] = [];
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      const info = readStat(Number(name));
      if (info) out.push(info);
    }
    return out;
  }
  const text = execFileSync('ps', ['-A', '-o', 'pid=,ppid=,pgid=,stat=,comm='], { encoding: 'utf8' });
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => {
      const [pid, ppid, pgid, state, ...comm] = line.trim().split(/\s+/);
      return {
        pid: Number(pid),
        ppid: Number(ppid),
        pgid: Number(pgid),
        state: (state ?? '?')[0] ?? '?',
        comm: (comm.join(' ').split('/').pop() ?? '').trim(),
      };
    });
}

/** True while the process exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  if (hasProc) {
    const info = readStat(pid);
    return info !== undefined && info.state !== 'Z';
  }
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  return processTable().find((p) => p.pid === pid)?.state !== 'Z';
}

/** The parent's pid of a process (0 if it is gone). */
export function parentOf(pid: number): number {
  if (hasProc) return readStat(pid)?.ppid ?? 0;
  return processTable().find((p) => p.pid === pid)?.ppid ?? 0;
}

/** Living children of a process. */
export function childrenOf(pid: number): ProcInfo[] {
  return processTable().filter((p) => p.ppid === pid && p.state !== 'Z');
}

/** Living members of a process group. */
export function groupMembers(pgid: number): ProcInfo[] {
  return processTable().filter((p) => p.pgid === pgid && p.state !== 'Z');
}

/**
 * Resolves true as soon as none of `pids` is alive, false if some still are
 * after `timeoutMs`. Polls /proc: a process that is not our child has no exit
 * event we could wait on.
 */
export async function waitForGone(pids: number[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!pids.some(isAlive)) return true;
    if (Date.now() >= deadline) return false;
    await sleep(20);
  }
}

/** Same as waitForGone, for every member of a process group. */
export async function waitForGroupGone(pgid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (groupMembers(pgid).length === 0) return true;
    if (Date.now() >= deadline) return false;
    await sleep(20);
  }
}

/**
 * Whether a process runs Node.js (the binary running us): a primary's
 * workers, not helpers such as tsx's esbuild service. Not by its name:
 * Node.js 24 names its main thread `MainThread` and Node.js 26
 * `node-MainThread`, and on Linux the main thread's name is the process
 * name that `ps`, `top` and `pgrep -x` show. On Linux we compare the
 * executable; elsewhere `ps` gives the executable's path as its name.
 */
export function isNodeProcess(info: ProcInfo): boolean {
  if (hasProc) {
    try {
      return realpathSync(`/proc/${info.pid}/exe`) === ourNode();
    } catch {
      return false;
    }
  }
  return info.comm.startsWith('node');
}

let node: string | undefined;
function ourNode(): string {
  node ??= realpathSync(process.execPath);
  return node;
}

/** Living children of `pid` that run Node.js (see isNodeProcess). */
export function nodeChildrenOf(pid: number): number[] {
  return childrenOf(pid)
    .filter(isNodeProcess)
    .map((child) => child.pid);
}
