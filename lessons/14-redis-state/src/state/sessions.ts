// Sessions with express-session, the standard for Express: a signed cookie
// (`sid`) holds only the session's id; the data is in a store. The default
// store is each process's memory (a login seen by one worker only); the
// Redis store (connect-redis) puts it where every worker of every instance
// reads it. Two things must be the same on every instance: the store, and
// the secret that signs the cookie (the lesson gives each instance the same
// SESSION_SECRET).
import { RedisStore } from 'connect-redis';
import session from 'express-session';
import type { Redis } from '../redis/client.ts';

export function sessions(secret: string, redis: Redis | undefined, prefix: string) {
  return session({
    name: 'sid',
    secret,
    // Redis: a key per session (prefix + id), with the cookie's lifetime as
    // its TTL, so Redis forgets a session when the browser would.
    store: redis ? new RedisStore({ client: redis, prefix: `${prefix}sess:` }) : undefined,
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
