// What the lesson reads from its environment, validated: a bad value is one
// line and exit 2. The runtime (src/main.ts) reads all of it; the app inside
// (src/app/) reads HOST, PORT, WORKERS and HANDLER again, as a program in a
// container reads its own environment.
import { availableParallelism } from 'node:os';
import { badEnv, flagEnv, intEnv, readHostPort } from '@cluster-course/shared';

/** This lesson's default port: 3000 + 100 × 15. */
export const DEFAULT_PORT = 4500;

/** WORKERS: an integer 1..64, or `auto` (sized from the CPU quota: src/cpu-quota.ts). */
export function readWorkers(): number | 'auto' {
  if (process.env.WORKERS?.trim() === 'auto') return 'auto';
  const raw = process.env.WORKERS ?? '';
  if (raw.trim() !== '' && !/^\d+$/.test(raw.trim())) badEnv('WORKERS', raw, 'an integer from 1 to 64, or auto');
  return intEnv('WORKERS', Math.min(availableParallelism(), 64), 1, 64);
}

/** CPUS: how many CPUs the cgroup may use, like `docker run --cpus` (fractions allowed). */
function readCpus(): number {
  const raw = (process.env.CPUS ?? '').trim() || '1';
  const cpus = Number(raw);
  if (!/^\d+(\.\d{1,2})?$/.test(raw) || cpus < 0.1 || cpus > 64) {
    badEnv('CPUS', raw, 'a number of CPUs from 0.1 to 64, e.g. 1 or 1.5');
  }
  return cpus;
}

const units: Record<string, number> = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30 };

/** MEMORY: the cgroup's memory limit, like `docker run --memory` (512M, 1G, bytes). */
function readMemory(): number {
  const raw = (process.env.MEMORY ?? '').trim() || '512M';
  const match = /^(\d+)([kmg]?)i?b?$/i.exec(raw);
  const bytes = match ? Number(match[1]) * (units[(match[2] ?? '').toLowerCase()] ?? 1) : Number.NaN;
  if (!(bytes >= 64 * 2 ** 20 && bytes <= 64 * 2 ** 30)) badEnv('MEMORY', raw, 'a size from 64M to 64G, e.g. 512M');
  return bytes;
}

export function readConfig() {
  const init = flagEnv('INIT');
  return {
    ...readHostPort(DEFAULT_PORT),
    workers: readWorkers(),
    cpus: readCpus(),
    memory: readMemory(),
    /** A new PID namespace: the app's primary (or tini, with INIT=1) is its PID 1. */
    pid1: flagEnv('PID1') || init,
    /** tini in front, as `docker run --init` does. */
    init,
    /** HANDLER=0: the app installs no SIGTERM/SIGINT handler, as many apps ship. */
    handler: flagEnv('HANDLER', true),
    /** How long the stop waits after SIGTERM before SIGKILL (docker stop: 10 s). */
    graceMs: intEnv('STOP_GRACE', 3000, 100, 60_000),
  };
}

export type Config = ReturnType<typeof readConfig>;
