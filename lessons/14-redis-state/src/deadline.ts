// A bound on every answer that needs Redis. node-redis 6 has a command
// timeout and an abort signal, but both stop counting once the command is
// written to the socket (@redis/client 6.3.1, client/commands-queue.js: the
// listeners are removed as each command is sent). A Redis that stops
// answering with its connection still open (SIGSTOP, a slow script, a
// network that drops packets without a reset) would then hold the request
// forever. So the state routes carry a deadline of their own: no answer
// within REDIS_TIMEOUT_MS, and the client gets a 503. The command itself
// stays queued and is answered, or fails, later; nobody is waiting for it.
import type { RequestHandler, Response } from 'express';

export const STORE_DOWN = { error: 'the state store (Redis) is unavailable; try again' };

/** Answers unless the deadline (or anything else) already has. */
export function answer(res: Response, status: number, body: unknown): void {
  if (!res.headersSent) res.status(status).json(body);
}

export function deadline(ms: number): RequestHandler {
  return (_req, res, next) => {
    const timer = setTimeout(() => answer(res, 503, STORE_DOWN), ms);
    res.once('close', () => clearTimeout(timer));
    next();
  };
}
