// The primary's line about who holds the listening socket, with names for
// the pids (src/socket-owners.ts finds them).
import { listeningPids } from './socket-owners.ts';

export function describeOwners(port: number, names: Map<number, string>): string {
  const pids = listeningPids(port);
  if (pids === undefined) {
    return `cannot tell who holds port ${port} on ${process.platform}; try: lsof -nP -iTCP:${port} -sTCP:LISTEN`;
  }
  if (pids.length === 0) return `no process holds a LISTEN socket on port ${port}`;
  const who = pids.map((pid) => `${pid} (${names.get(pid) ?? 'another process'})`);
  return `the LISTEN socket of port ${port} is held by pid ${who.join(', ')}`;
}
