import { intEnv, readServerEnv } from '@cluster-course/shared';

/** This lesson's default port. */
export const DEFAULT_PORT = 3500;

export const config = {
  ...readServerEnv(DEFAULT_PORT),
  /** How long the primary waits for a worker's reply before answering 504. */
  timeoutMs: intEnv('BROKER_TIMEOUT_MS', 5_000, 1, 600_000),
};
