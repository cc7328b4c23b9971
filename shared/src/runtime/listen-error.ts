// The contract for a port in use (or any failed listen): the primary prints
// one line naming the port and exits 1, and nothing respawns in a loop.
// The primary first tries the port itself, before it forks anything
// (exitIfPortInUse): a taken port is found in milliseconds, however slowly
// workers would start. The port can still be taken between that check and a
// worker's listen(); then the error surfaces in the worker, which reports it
// to its primary and waits to be stopped, so the primary alone decides and
// prints.
import { once } from 'node:events';
import net from 'node:net';

/** The message a worker sends its primary when listen() failed. */
export interface ListenFailed {
  type: 'listen-failed';
  /** One human line, naming the port. */
  message: string;
}

export function isListenFailed(message: unknown): message is ListenFailed {
  return (message as ListenFailed | undefined)?.type === 'listen-failed';
}

/** One human line for a listen() error, naming the port. */
export function describeListenError(err: unknown, host: string, port: number): string {
  const code = (err as NodeJS.ErrnoException)?.code ?? 'error';
  const where = `${host}:${port}`;
  if (code === 'EADDRINUSE') {
    return `port ${port} is already in use (EADDRINUSE on ${where}); pick another with PORT=...`;
  }
  if (code === 'EACCES') return `port ${port} needs privileges (EACCES on ${where}); use a port above 1023`;
  if (code === 'EADDRNOTAVAIL') {
    return `cannot listen on ${where} (EADDRNOTAVAIL): HOST is not an address of this machine`;
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `cannot resolve HOST in ${where} (${code})`;
  return `cannot listen on ${where} for port ${port} (${code}): ${(err as Error)?.message ?? String(err)}`;
}

export interface ListenTarget {
  host: string;
  port: number;
  /** Bind a socket of this worker's own instead of sharing the primary's. */
  exclusive?: boolean;
  /** SO_REUSEPORT (Node.js 22.12+ / 23.1+): several sockets on one port. */
  reusePort?: boolean;
}

/**
 * listen() in a cluster worker (or a forked child). A failure is sent to the
 * parent as a ListenFailed message; the process then stays up until its
 * parent stops it. Run without a parent, it prints the line and exits 1.
 */
export function listenOrReport(
  server: { listen(options: ListenTarget): unknown; once(event: 'error', fn: (err: Error) => void): unknown },
  target: ListenTarget,
): void {
  server.once('error', (err) => {
    const message = describeListenError(err, target.host, target.port);
    if (process.send) {
      // The parent may already be stopping us; then there is nobody to tell.
      if (process.connected) process.send({ type: 'listen-failed', message } satisfies ListenFailed);
    } else {
      process.stderr.write(`${message}\n`);
      process.exit(1);
    }
  });
  server.listen(target);
}

/**
 * In a primary, before forking: try to listen on each port (PORT=0 needs no
 * check: it is always free). If one is taken, print the one line and exit 1.
 */
export async function exitIfPortInUse(host: string, ports: number[]): Promise<void> {
  for (const port of ports.filter((p) => p > 0)) {
    const probe = net.createServer().listen({ host, port });
    try {
      await once(probe, 'listening'); // rejects on 'error'
    } catch (err) {
      process.stderr.write(`${describeListenError(err, host, port)}\n`);
      process.exit(1);
    }
    await new Promise((resolve) => probe.close(resolve));
  }
}
