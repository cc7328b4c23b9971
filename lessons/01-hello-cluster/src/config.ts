import { readServerEnv } from '@cluster-course/shared';

/** This lesson's default port (every lesson has its own). */
export const DEFAULT_PORT = 3100;

/**
 * HOST, PORT and WORKERS, validated (a bad value exits 2 with one line).
 * Workers inherit the primary's environment, so both read the same values.
 */
export const config = readServerEnv(DEFAULT_PORT);
