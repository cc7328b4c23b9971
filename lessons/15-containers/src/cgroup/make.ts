// The lesson's own cgroup: made beneath the cgroup the lesson already runs in
// (never at the top of a hierarchy: the machine's own limits stay above ours,
// and on cgroup v2 a subtree is all a non-root user can be given), limited,
// read back, and removed once it is empty. What `docker run --cpus --memory`
// asks of the kernel, written to the same files.
import { mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { cgroupOf } from './hierarchy.ts';

/** Every cgroup of this lesson is named so: a leftover is easy to find. */
export const CGROUP_PREFIX = 'cluster-course-15-';
const PERIOD_US = 100_000; // the kernel's default CFS period, 100 ms (docker uses it too)

export interface LessonCgroup {
  version: 1 | 2;
  /** The folder holding the cpu controller's files, and the memory one (the same on v2). */
  cpu: string;
  memory: string;
}

/** Thrown when this process may not make cgroups: the lesson says so and exits 2. */
export class NoCgroupRights extends Error {}

const write = (dir: string, file: string, value: string) => writeFileSync(join(dir, file), value);
const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8').trim();

function mkdir(parent: string, name: string): string {
  const dir = join(parent, name);
  try {
    mkdirSync(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'ENOENT') {
      throw new NoCgroupRights(`cannot make a cgroup in ${parent} (${code})`);
    }
    throw err;
  }
  return dir;
}

/** Makes cluster-course-15-<pid> with the limits of `docker run --cpus=<cpus> --memory=<bytes>`. */
export function makeCgroup(cpus: number, memoryBytes: number, name = `${CGROUP_PREFIX}${process.pid}`): LessonCgroup {
  const cpuParent = cgroupOf('cpu');
  const memoryParent = cgroupOf('memory');
  if (!cpuParent || !memoryParent) throw new NoCgroupRights('no cpu or memory cgroup controller is mounted');
  const quota = String(Math.round(cpus * PERIOD_US));
  if (cpuParent.version === 2) {
    // v2: one folder for both, and the parent must hand the controllers down.
    const parent = cpuParent.dir;
    const enabled = read(parent, 'cgroup.subtree_control').split(' ');
    const wanted = ['cpu', 'memory'].filter((c) => !enabled.includes(c));
    try {
      if (wanted.length) write(parent, 'cgroup.subtree_control', wanted.map((c) => `+${c}`).join(' '));
    } catch (err) {
      throw new NoCgroupRights(`cannot enable ${wanted.join(' and ')} for ${parent} (${(err as Error).message})`);
    }
    const dir = mkdir(parent, name);
    write(dir, 'cpu.max', `${quota} ${PERIOD_US}`);
    write(dir, 'memory.max', String(memoryBytes));
    try {
      write(dir, 'memory.swap.max', '0'); // the limit is the limit: no swapping past it
    } catch {}
    return { version: 2, cpu: dir, memory: dir };
  }
  const cpu = mkdir(cpuParent.dir, name);
  const memory = mkdir(memoryParent.dir, name);
  write(cpu, 'cpu.cfs_period_us', String(PERIOD_US));
  write(cpu, 'cpu.cfs_quota_us', quota);
  write(memory, 'memory.limit_in_bytes', String(memoryBytes));
  try {
    write(memory, 'memory.memsw.limit_in_bytes', String(memoryBytes)); // = docker's --memory-swap=--memory
  } catch {} // no swap accounting in this kernel: nothing to limit
  return { version: 1, cpu, memory };
}

/** The limits as the kernel now reports them (never as we meant them). */
export function readLimits(cg: LessonCgroup): { cpus: number; memoryBytes: number; files: string } {
  if (cg.version === 2) {
    const [quota = '', period = ''] = read(cg.cpu, 'cpu.max').split(' ');
    const memory = read(cg.memory, 'memory.max');
    return {
      cpus: Number(quota) / Number(period),
      memoryBytes: Number(memory),
      files: `cpu.max "${quota} ${period}", memory.max ${memory}`,
    };
  }
  const quota = read(cg.cpu, 'cpu.cfs_quota_us');
  const period = read(cg.cpu, 'cpu.cfs_period_us');
  const memory = read(cg.memory, 'memory.limit_in_bytes');
  return {
    cpus: Number(quota) / Number(period),
    memoryBytes: Number(memory),
    files: `cpu.cfs_quota_us ${quota} / cpu.cfs_period_us ${period}, memory.limit_in_bytes ${memory}`,
  };
}

/** The folders to join and remove: two on v1 (one per hierarchy), one on v2. */
export function cgroupDirs(cg: LessonCgroup): string[] {
  return cg.cpu === cg.memory ? [cg.cpu] : [cg.cpu, cg.memory];
}

/** Every process in the lesson's cgroup (the cpu one holds them all). */
export function cgroupProcs(dir: string): number[] {
  try {
    return read(dir, 'cgroup.procs').split('\n').filter(Boolean).map(Number);
  } catch {
    return []; // removed already
  }
}

/** Removes the (empty) folders; a folder already gone is fine. */
export function removeCgroup(dirs: string[]): void {
  for (const dir of dirs) {
    try {
      rmdirSync(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
}

/** Every cgroup of this lesson beneath this process's own (one per lesson run and controller). */
export function lessonCgroups(): string[] {
  const parents = [cgroupOf('cpu')?.dir, cgroupOf('memory')?.dir].filter((d): d is string => Boolean(d));
  return [...new Set(parents)].flatMap((parent) =>
    readdirSync(parent)
      .filter((name) => name.startsWith(CGROUP_PREFIX))
      .map((name) => join(parent, name)),
  );
}

/** Those left by a lesson whose pid is gone. */
export function staleCgroups(isAlive: (pid: number) => boolean): string[] {
  return lessonCgroups().filter((dir) => !isAlive(Number(basename(dir).slice(CGROUP_PREFIX.length))));
}
