// Which errors mean "the store is unavailable" (a 503: try again later), as
// node-redis reports them: a command with no answer in time, no connection
// (the offline queue is off), a connection that broke with commands in flight.
// Anything else is a bug, and a 500.
import { ClientClosedError, ClientOfflineError, SocketClosedUnexpectedlyError, TimeoutError } from 'redis';

export function isStoreError(err: unknown): boolean {
  return (
    err instanceof TimeoutError ||
    err instanceof ClientOfflineError ||
    err instanceof ClientClosedError ||
    err instanceof SocketClosedUnexpectedlyError ||
    // connect-redis and rate-limit-redis pass node-redis's errors on as they are;
    // a refused or reset connection surfaces as the socket's own error.
    ['ECONNREFUSED', 'ECONNRESET', 'EPIPE'].includes((err as NodeJS.ErrnoException | null)?.code ?? '')
  );
}
