import { readServerEnv } from '@cluster-course/shared';

/** This lesson's default port. */
export const DEFAULT_PORT = 3300;

export const config = readServerEnv(DEFAULT_PORT);
