import { intEnv, readServerEnv } from '@cluster-course/shared';

/** This lesson's default port. */
export const DEFAULT_PORT = 3800;

export const config = {
  ...readServerEnv(DEFAULT_PORT),
  /** How long a stopping worker may take to finish before it is killed. */
  shutdownTimeoutMs: intEnv('SHUTDOWN_TIMEOUT_MS', 10_000, 1, 600_000),
};
