// Lesson 14's settings. PORT is nginx's, the one clients use; each instance
// (one "machine") listens on a port of its own, chosen at start.
import { badEnv, choiceEnv, intEnv, readServerEnv } from '@cluster-course/shared';

/** This lesson's default port: 3000 + 100 × 14. */
export const DEFAULT_PORT = 4400;

/** Where the state lives: Redis (shared by every process) or each worker's memory (the break). */
export const STATES = ['redis', 'memory'] as const;
export type StateMode = (typeof STATES)[number];

/** When the lesson's Redis calls fsync on its append-only file (redis.conf's appendfsync). */
export const FSYNCS = ['always', 'everysec', 'no'] as const;
export type Fsync = (typeof FSYNCS)[number];

/** REDIS_URL, if set: an existing server the lesson uses (and never stops or flushes). */
function redisUrl(): string | undefined {
  const raw = process.env.REDIS_URL?.trim();
  if (!raw) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {}
  if (!url || !/^rediss?:$/.test(url.protocol) || !url.hostname) {
    badEnv('REDIS_URL', raw, 'a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379');
  }
  return raw;
}

export function readConfig() {
  return {
    ...readServerEnv(DEFAULT_PORT), // WORKERS: the cluster inside each instance
    /** How many instances nginx balances over (machines, in real life). */
    instances: intEnv('INSTANCES', 2, 1, 8),
    state: choiceEnv('STATE', 'redis', STATES),
    /** GET /limited: requests allowed per client per window, across the whole fleet. */
    limit: intEnv('LIMIT', 10, 1, 100_000),
    limitWindowMs: intEnv('LIMIT_WINDOW_MS', 60_000, 100, 3_600_000),
    redisUrl: redisUrl(),
    /** The lesson's own Redis: fsync before each answer (always), once a second, or when the kernel likes. */
    appendfsync: choiceEnv('REDIS_APPENDFSYNC', 'always', FSYNCS),
    /** How long a request waits for Redis before it answers 503. */
    redisTimeoutMs: intEnv('REDIS_TIMEOUT_MS', 500, 50, 10_000),
  };
}
export type Config = ReturnType<typeof readConfig>;
