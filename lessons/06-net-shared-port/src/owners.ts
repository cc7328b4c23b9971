// Who holds the listening socket? "Cluster servers in Node.js" answered with `lsof -i :8000`:
// only the primary. On Linux we can ask the kernel the same question through
// /proc (listeningPids reads /proc/net/tcp for sockets in LISTEN state on the
// port, then finds which processes have a file descriptor for them).
import { listeningPids } from '@cluster-course/shared/proc';

export function describeOwners(port: number, names: Map<number, string>): string {
  const pids = listeningPids(port);
  if (pids === undefined) {
    return `cannot tell who holds port ${port} on ${process.platform}; try: lsof -nP -iTCP:${port} -sTCP:LISTEN`;
  }
  if (pids.length === 0) return `no process holds a LISTEN socket on port ${port}`;
  const who = pids.map((pid) => `${pid} (${names.get(pid) ?? 'another process'})`);
  return `the LISTEN socket of port ${port} is held by pid ${who.join(', ')}`;
}
