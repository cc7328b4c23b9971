import { choiceEnv, readServerEnv } from '@cluster-course/shared';

/** This lesson's default port. */
export const DEFAULT_PORT = 3600;

export const config = {
  ...readServerEnv(DEFAULT_PORT),
  // Node.js itself reads this variable when node:cluster loads (and quietly
  // ignores a value it does not know); we check it so a typo is an error.
  schedPolicy: choiceEnv('NODE_CLUSTER_SCHED_POLICY', process.platform === 'win32' ? 'none' : 'rr', ['rr', 'none']),
};

/** Longest line a client may send before the server gives up on it. */
export const MAX_LINE_BYTES = 8192;
