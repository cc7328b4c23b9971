// EXERCISE (lesson 14), part 2 of 2: the sessions, shared by the fleet.
// As shipped, express-session keeps them in each process's memory (its
// default store): a login is seen only by the worker that made it (TODO
// below). Part 1 is in exercise/state/visits.ts. Check your work with
// `pnpm exercise 14`; stuck? `pnpm exercise 14 --hint`.
//
// Sessions with express-session, the standard for Express: a signed cookie
// (`sid`) holds only the session's id; the data is in a store. Two things
// must be the same on every instance: the store, and the secret that signs
// the cookie (the lesson gives each instance the same SESSION_SECRET).
import session from 'express-session';
import type { Redis } from '../../src/redis/client.ts'; // the files you do not edit stay in src/

export function sessions(secret: string, redis: Redis | undefined, prefix: string) {
  // TODO 2: with `redis` (STATE=redis), give the sessions a store every
  // worker of every instance reads: connect-redis's RedisStore on this
  // client, its keys under `${prefix}sess:` (the lesson deletes only keys
  // with its own prefix). Without `redis` (STATE=memory), no store: the
  // default, each process's memory.
  void redis; // (only so the unfinished file compiles: delete it)
  void prefix;
  return session({
    name: 'sid',
    secret,
    resave: false, // write a session only when it changed
    saveUninitialized: false, // no session (no cookie) until someone logs in
    cookie: { httpOnly: true, sameSite: 'lax', maxAge: 60 * 60 * 1000 },
  });
}

declare module 'express-session' {
  interface SessionData {
    /** Who logged in (POST /login). */
    user: string;
  }
}
