import { flagEnv, readServerEnv } from '@cluster-course/shared';

/** This lesson's default port. */
export const DEFAULT_PORT = 3200;

export const config = {
  ...readServerEnv(DEFAULT_PORT),
  /** CRASH_ON_START=1: every worker throws while starting (a crash loop). */
  crashOnStart: flagEnv('CRASH_ON_START'),
};
