// The counter behind POST /visits, where lesson 03 left it broken: in the
// worker's memory, each worker of each instance counts only its own visits.
import type { Redis } from '../redis/client.ts';

export interface Visits {
  /** Adds one visit and returns the new total. `atomic: false`: the read-modify-write (the lost update). */
  increment(atomic: boolean): Promise<number>;
}

/** STATE=memory: one variable per process. Right on one process, wrong on several. */
export function memoryVisits(): Visits {
  let visits = 0;
  return {
    async increment() {
      visits += 1;
      return visits;
    },
  };
}

/** STATE=redis: one key, shared by every worker of every instance. */
export function redisVisits(redis: Redis, key: string): Visits {
  return {
    async increment(atomic) {
      // INCR is one command, and Redis runs commands one at a time: no other
      // client can come between the read and the write. Nothing is lost.
      if (atomic) return redis.incr(key);
      // GET, then SET: another process's update that lands between the two
      // is overwritten (a lost update). ?atomic=0 shows how many.
      const seen = Number((await redis.get(key)) ?? 0);
      await redis.set(key, String(seen + 1));
      return seen + 1;
    },
  };
}
