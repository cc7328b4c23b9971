// Turning a failed listen() into the one line the contract promises.

/** One human line for a listen() error, naming the port. */
export function describeListenError(err: unknown, host: string, port: number): string {
  const code = (err as NodeJS.ErrnoException)?.code ?? 'error';
  const where = `${host}:${port}`;
  if (code === 'EADDRINUSE')
    return `port ${port} is already in use (EADDRINUSE on ${where}); pick another with PORT=...`;
  if (code === 'EACCES') return `port ${port} needs privileges (EACCES on ${where}); use a port above 1023`;
  if (code === 'EADDRNOTAVAIL')
    return `cannot listen on ${where} (EADDRNOTAVAIL): HOST is not an address of this machine`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `cannot resolve HOST in ${where} (${code})`;
  return `cannot listen on ${where} for port ${port} (${code}): ${(err as Error)?.message ?? String(err)}`;
}
