// WORKERS=auto: one worker per CPU this process may really use. Not the
// host's cores: os.availableParallelism() may say 64 inside a 1-CPU container
// (it does on Node.js 20 to 26 under a cgroup v1 quota: the lesson prints what
// yours says). The quota is in the cgroup's files:
//   cgroup v1  cpu.cfs_quota_us / cpu.cfs_period_us   "100000" / "100000", -1 = none
//   cgroup v2  cpu.max                                  "100000 100000", "max 100000" = none
// and a limit on any ancestor holds too, so walk up to the top and keep the
// smallest. A fractional quota is rounded down (at least 1): a second worker
// for half a CPU would only be throttled, in turn with the first.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CgroupPlace } from './cgroup/hierarchy.ts';

export interface CpuQuota {
  /** CPUs the quota allows (1.5 = 150 ms of CPU time per 100 ms), or undefined for none. */
  cpus?: number;
  /** The file and values it came from, for the ready line. */
  said: string;
}

function read(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return undefined; // no such file at this level: no limit set here
  }
}

/** The quota set on one cgroup folder itself, if any. */
function quotaIn(dir: string, version: 1 | 2): CpuQuota | undefined {
  if (version === 2) {
    const [quota, period] = (read(join(dir, 'cpu.max')) ?? 'max').split(' ');
    if (quota === 'max' || !period) return undefined;
    return { cpus: Number(quota) / Number(period), said: `cpu.max "${quota} ${period}" in ${dir}` };
  }
  const quota = read(join(dir, 'cpu.cfs_quota_us'));
  const period = read(join(dir, 'cpu.cfs_period_us'));
  if (!quota || !period || Number(quota) < 0) return undefined;
  return {
    cpus: Number(quota) / Number(period),
    said: `cpu.cfs_quota_us ${quota} / cpu.cfs_period_us ${period} in ${dir}`,
  };
}

/** The smallest quota from a cpu cgroup (`cgroupOf('cpu')`: this process's) up to the top of its hierarchy. */
export function readCpuQuota(place: CgroupPlace | undefined): CpuQuota {
  if (!place) return { said: 'no cpu cgroup found' };
  let smallest: CpuQuota | undefined;
  for (let dir = place.dir; dir.startsWith(place.mount); dir = dirname(dir)) {
    const here = quotaIn(dir, place.version);
    if (here?.cpus !== undefined && (smallest?.cpus === undefined || here.cpus < smallest.cpus)) smallest = here;
    if (dir === place.mount) break;
  }
  return smallest ?? { said: `no CPU quota from ${place.dir} up` };
}

/** WORKERS=auto: the quota rounded down, at least 1, at most the host's CPUs. */
export function autoWorkers(quota: CpuQuota, hostCpus: number): { workers: number; why: string } {
  if (quota.cpus === undefined) return { workers: hostCpus, why: `${quota.said}: one per host CPU` };
  const workers = Math.max(1, Math.min(hostCpus, Math.floor(quota.cpus)));
  return { workers, why: `${quota.said} = ${quota.cpus} CPU${quota.cpus === 1 ? '' : 's'}, rounded down` };
}
