// The instruments of lesson 15: what the tests and the demo read from outside
// the "container", the way `docker stats` and `docker inspect` do: the cgroup's
// files and /proc. None of it is part of the lesson's program.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LessonProcess } from '@cluster-course/shared/harness';
import { fresh } from '@cluster-course/shared/harness/http';
import { cgroupOf } from '../src/cgroup/hierarchy.ts';
import {
  CGROUP_PREFIX,
  cgroupDirs,
  cgroupProcs,
  type LessonCgroup,
  makeCgroup,
  removeCgroup,
} from '../src/cgroup/make.ts';
import { pidInNamespace } from '../src/pid1.ts';

/** Why lesson 15 cannot run here, or undefined when it can (a probe cgroup made and removed). */
export function missingRights(): string | undefined {
  if (process.platform !== 'linux') return 'lesson 15 needs Linux';
  try {
    removeCgroup(cgroupDirs(makeCgroup(1, 2 ** 30, `${CGROUP_PREFIX}probe-${process.pid}`)));
    return undefined;
  } catch (err) {
    return `lesson 15 needs the right to make cgroups (root): ${(err as Error).message}`;
  }
}

/** The lesson's cgroup, as its runtime's "cgroup v1: A and B" line names it. */
export function cgroupOfLesson(lesson: LessonProcess): LessonCgroup {
  const line = lesson.stdout().find((l) => /\] cgroup v\d: /.test(l)) ?? '';
  const [, version, dirs = ''] = /\] cgroup v(\d): (.*)$/.exec(line) ?? [];
  const [cpu = '', memory = cpu] = dirs.split(' and ');
  return { version: version === '2' ? 2 : 1, cpu, memory };
}

/** Where the memory cgroup counts its OOM kills: memory.oom_control (v1), memory.events (v2). */
export function cgroupOomFile(dir: string): string {
  return existsSync(join(dir, 'memory.oom_control')) ? 'memory.oom_control' : 'memory.events';
}

/**
 * Gives the cgroup the most CPU weight there is (`docker run --cpu-shares`):
 * cpu.shares 262144 on v1 (default 1024), cpu.weight 10000 on v2 (default
 * 100). A quota is a ceiling, not a promise: on a busy host a cgroup of
 * default weight may get less than its quota in every period, and then the
 * kernel has nothing to throttle. First in line, the quota is what stops it.
 */
export function firstInLine(cg: LessonCgroup): void {
  if (cg.version === 2) writeFileSync(join(cg.cpu, 'cpu.weight'), '10000');
  else writeFileSync(join(cg.cpu, 'cpu.shares'), '262144');
}

/** `count` concurrent GET /work?ms=<ms> on fresh connections: what each worker burned, and in how long. */
export async function burnOnEveryWorker(url: string, count: number, ms: number) {
  const replies = await Promise.all(
    Array.from({ length: count }, () => fresh(new URL(`/work?ms=${ms}`, url), { timeoutMs: 60_000 })),
  );
  return replies.map((r) => ({ pid: r.workerPid, ...(JSON.parse(r.body) as { cpuMs: number; wallMs: number }) }));
}

/** GET /orphan (under PID1=1 or INIT=1), then the orphan's host pid, found by its pid in the namespace. */
export async function adoptedOrphan(lesson: LessonProcess, dir: string): Promise<number> {
  const { orphan } = JSON.parse((await fresh(new URL('/orphan', lesson.url))).body) as { orphan: number };
  const host = hostPidOf(dir, orphan);
  // Never fall back to the namespace's number: on the host it is some other process.
  if (host === undefined) throw new Error(`no process in ${dir} is pid ${orphan} in its namespace`);
  return host;
}

/** A process's cgroup path for one controller, from /proc/<pid>/cgroup. */
export function cgroupPathOf(pid: number, controller: 'cpu' | 'memory'): string | undefined {
  const place = cgroupOf(controller, '/', String(pid));
  return place?.dir;
}

/** A cgroup file's "key value" lines (cpu.stat, memory.oom_control), as numbers. */
export function statOf(dir: string, file: string): Record<string, number> {
  const stat: Record<string, number> = {};
  for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
    const [key, value] = line.split(' ');
    if (key && value !== undefined) stat[key] = Number(value);
  }
  return stat;
}

/** /proc/<pid>/status fields: State's letter, PPid, and NSpid (host pid first, namespace pid last). */
export function statusOf(pid: number): { state: string; ppid: number; nspid: number[] } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => new RegExp(`^${name}:\\s+(.*)$`, 'm').exec(text)?.[1]?.trim() ?? '';
    return {
      state: field('State')[0] ?? '?',
      ppid: Number(field('PPid')),
      nspid: field('NSpid').split(/\s+/).map(Number),
    };
  } catch {
    return undefined; // gone: reaped
  }
}

/** The host pid of the process in `dir` whose pid in its namespace is `nsPid`. */
export function hostPidOf(dir: string, nsPid: number): number | undefined {
  return cgroupProcs(dir).find((pid) => pidInNamespace(pid) === nsPid);
}

/** Resolves once `check` is true, polling every 20 ms; false after `timeoutMs`. */
export async function waitUntil(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}
