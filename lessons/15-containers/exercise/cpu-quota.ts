// EXERCISE (lesson 15): WORKERS=auto. Read the CPU quota this process really
// has from its cgroup's files, and size the cluster from it, not from the
// host's cores. quotaIn(), the walk in readCpuQuota() and autoWorkers() are
// missing, marked TODO. Check your work with `pnpm exercise 15` (as root:
// the checks make real cgroups); stuck? `pnpm exercise 15 --hint`. Until you
// write them, WORKERS=auto finds no quota and starts one worker per host core.
//
// The quota is in the cgroup's files:
//   cgroup v1  cpu.cfs_quota_us / cpu.cfs_period_us   "100000" / "100000", -1 = none
//   cgroup v2  cpu.max                                  "100000 100000", "max 100000" = none
// and a limit on any ancestor holds too, so walk up to the top and keep the
// smallest. A fractional quota is rounded down (at least 1).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CgroupPlace } from '../src/cgroup/hierarchy.ts'; // the files you do not edit stay in src/

export interface CpuQuota {
  /** CPUs the quota allows (1.5 = 150 ms of CPU time per 100 ms), or undefined for none. */
  cpus?: number;
  /** The file and values it came from, for the ready line. */
  said: string;
}

/** A file's trimmed text, or undefined when this level has no such file. */
function read(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return undefined; // no such file at this level: no limit set here
  }
}

/** The quota set on one cgroup folder itself, if any. */
function quotaIn(dir: string, version: 1 | 2): CpuQuota | undefined {
  // TODO 1: cgroup v2: read cpu.max in `dir` ("<quota> <period>", quota "max"
  // for none); cgroup v1: cpu.cfs_quota_us and cpu.cfs_period_us (quota -1 for
  // none). Return { cpus: quota / period, said: which file said what, in `dir` },
  // or undefined when this level sets no quota (or has no file: read() says so).
  void [dir, version, read, join]; // (only so the unfinished file compiles: delete it)
  return undefined;
}

/** The smallest quota from a cpu cgroup (`cgroupOf('cpu')`: this process's) up to the top of its hierarchy. */
export function readCpuQuota(place: CgroupPlace | undefined): CpuQuota {
  if (!place) return { said: 'no cpu cgroup found' };
  // TODO 2: from place.dir up to place.mount (dirname() goes one level up;
  // stop after place.mount), ask quotaIn() at each level and keep the smallest.
  void dirname; // (only so the unfinished file compiles: delete it)
  return quotaIn(place.dir, place.version) ?? { said: `no CPU quota from ${place.dir} up` };
}

/** WORKERS=auto: the quota rounded down, at least 1, at most the host's CPUs. */
export function autoWorkers(quota: CpuQuota, hostCpus: number): { workers: number; why: string } {
  if (quota.cpus === undefined) return { workers: hostCpus, why: `${quota.said}: one per host CPU` };
  // TODO 3: the quota's whole CPUs (1.5 -> 1, 0.5 -> 1: never none), and never
  // more than the host has.
  return {
    workers: hostCpus,
    why: `${quota.said} = ${quota.cpus} CPU${quota.cpus === 1 ? '' : 's'}, TODO 3 in exercise/cpu-quota.ts`,
  };
}
