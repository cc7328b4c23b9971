// A rate limit the whole fleet keeps: LIMIT requests per client per window,
// with express-rate-limit, the standard for Express. Its default store is
// the process's memory: every worker of every instance counts on its own,
// so a client gets LIMIT times the number of processes. rate-limit-redis
// keeps one counter per client in Redis (INCR and an expiry, in one script).
import { rateLimit } from 'express-rate-limit';
import { RedisStore } from 'rate-limit-redis';
import type { Redis } from '../redis/client.ts';

export function limiter(limit: number, windowMs: number, redis: Redis | undefined, prefix: string) {
  return rateLimit({
    limit,
    windowMs,
    standardHeaders: 'draft-8', // RateLimit and RateLimit-Policy headers say how much is left
    legacyHeaders: false,
    message: { error: `too many requests: ${limit} per ${windowMs / 1000} s` },
    store: redis ? redisStore(redis, windowMs, prefix) : undefined,
  });
}

function redisStore(redis: Redis, windowMs: number, prefix: string): RedisStore {
  const store = new RedisStore({ sendCommand: (...args: string[]) => redis.sendCommand(args), prefix: `${prefix}rl:` });
  // rate-limit-redis 6 loads its two Lua scripts when the limiter is made,
  // and loads them again only after a NOSCRIPT reply (a restarted Redis has
  // forgotten them). If Redis was down at that moment, the failed load would
  // fail every request until the worker restarts. So: load them again each
  // time the connection is made again.
  redis.on('ready', () => void store.init({ windowMs } as Parameters<RedisStore['init']>[0]).catch(() => {}));
  return store;
}
