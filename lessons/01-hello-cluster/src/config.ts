import { availableParallelism } from 'node:os';
import { readServerEnv } from '@cluster-course/shared';

/** This lesson's default port (every lesson has its own). */
export const DEFAULT_PORT = 3100;

/**
 * One worker per core this process may really use. os.availableParallelism()
 * (Node.js 18.14+) is the right count: os.cpus().length lists every core of
 * the machine, even those CPU affinity (`taskset`, a container's cpuset)
 * keeps this process off.
 * More workers than cores only makes them take turns on the same cores.
 * (Capped at 64, like WORKERS itself.)
 */
export const DEFAULT_WORKERS = Math.min(availableParallelism(), 64);

/**
 * HOST, PORT and WORKERS, validated (a bad value exits 2 with one line).
 * Workers inherit the primary's environment, so both read the same values.
 */
export const config = readServerEnv(DEFAULT_PORT, DEFAULT_WORKERS);
