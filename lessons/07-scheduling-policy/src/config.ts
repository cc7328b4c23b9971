import { choiceEnv, readServerEnv } from '@cluster-course/shared';

/** This lesson's default port. */
export const DEFAULT_PORT = 3700;

export const config = {
  ...readServerEnv(DEFAULT_PORT),
  /** rr: the primary accepts and deals connections out; none: the workers accept. */
  policy: choiceEnv('NODE_CLUSTER_SCHED_POLICY', process.platform === 'win32' ? 'none' : 'rr', ['rr', 'none']),
};
