// EXERCISE (lesson 14), part 1 of 2: the counter, shared by the fleet. The
// Redis version below does what lesson 03's in-memory counter cannot
// (every worker of every instance counts into one key), but it does it
// with a read and then a write: a lost update under load (TODO below).
// Part 2 is in exercise/state/sessions.ts. Check your work with
// `pnpm exercise 14`; stuck? `pnpm exercise 14 --hint`.
//
// The counter behind POST /visits, where lesson 03 left it broken: in the
// worker's memory, each worker of each instance counts only its own visits.
import type { Redis } from '../../src/redis/client.ts'; // the files you do not edit stay in src/

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
      // TODO 1: when `atomic`, add the visit with one Redis command that
      // reads, adds and writes as one step, and return what it returns.
      // (The lines below stay as they are: ?atomic=0 shows what they lose.)
      void atomic; // (only so the unfinished file compiles: delete it)
      // GET, then SET: another process's update that lands between the two
      // is overwritten (a lost update). ?atomic=0 shows how many.
      const seen = Number((await redis.get(key)) ?? 0);
      await redis.set(key, String(seen + 1));
      return seen + 1;
    },
  };
}
