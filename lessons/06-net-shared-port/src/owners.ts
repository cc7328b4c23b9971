// The primary's line about who holds the listening socket, with names for
// the pids. Who holds it is the kernel's answer, read as `lsof` would, in
// two steps through /proc (shared/src/runtime/sockets.ts, a measuring tool
// the course shares):
//   1. /proc/net/tcp and tcp6 list every TCP socket: local port, state (0A
//      is LISTEN) and the socket's inode number;
//   2. /proc/<pid>/fd/<n> is a link per open descriptor, `socket:[<inode>]`
//      for a socket: the processes with a link to our inode hold it.
import { listeningPids } from '@cluster-course/shared/runtime/sockets';

export function describeOwners(port: number, names: Map<number, string>): string {
  const pids = listeningPids(port);
  if (pids === undefined) {
    return `cannot tell who holds port ${port} on ${process.platform}; try: lsof -nP -iTCP:${port} -sTCP:LISTEN`;
  }
  if (pids.length === 0) return `no process holds a LISTEN socket on port ${port}`;
  const who = pids.map((pid) => `${pid} (${names.get(pid) ?? 'another process'})`);
  return `the LISTEN socket of port ${port} is held by pid ${who.join(', ')}`;
}
