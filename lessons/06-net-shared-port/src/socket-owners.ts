// Who holds a socket? "Cluster servers in Node.js" answered with
// `lsof -i :8000`: only the primary. On Linux we can ask the kernel the same
// question ourselves, in two steps, both through /proc:
//
//   1. /proc/net/tcp and /proc/net/tcp6 list every TCP socket of the
//      machine, one per line: local and remote address (hex ip:port), state
//      (0A is LISTEN, 01 is ESTABLISHED) and the socket's inode number.
//   2. /proc/<pid>/fd/<n> is a link for each open file descriptor of a
//      process; a socket's link reads `socket:[<inode>]`. The processes with
//      a link to our inode hold the socket.
//
// src/primary.ts prints the answer for the listening port; the tests use it
// to prove who accepts (tests/06-net-shared-port.test.ts), and lesson 02 to
// see which process holds a connection that no worker took.
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';

const hasProc = existsSync('/proc/net/tcp');

/** Inodes of the TCP sockets whose local port, remote port and state pass `test`. */
function socketInodes(test: (local: number, remote: number, state: string) => boolean): Set<string> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue; // no IPv6 on this machine
    }
    for (const line of text.split('\n').slice(1)) {
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
      const fields = line.trim().split(/\s+/);
      const port = (address: string | undefined) => Number.parseInt(address?.split(':')[1] ?? '', 16);
      if (fields[9] && test(port(fields[1]), port(fields[2]), fields[3] ?? '')) inodes.add(fields[9]);
    }
  }
  return inodes;
}

/** Pids with a file descriptor open on one of these socket inodes. */
function pidsHolding(inodes: Set<string>): number[] {
  const pids = new Set<number>();
  if (inodes.size === 0) return [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${name}/fd`);
    } catch {
      continue; // gone meanwhile, or not ours to read
    }
    for (const fd of fds) {
      try {
        const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${name}/fd/${fd}`))?.[1];
        if (inode && inodes.has(inode)) pids.add(Number(name));
      } catch {
        // the fd closed meanwhile
      }
    }
  }
  return [...pids].sort((a, b) => a - b);
}

/**
 * Pids holding a TCP socket in LISTEN state on `port`, as `lsof -i :port` or
 * `ss -ltnp` would show them. Linux only; elsewhere undefined.
 */
export function listeningPids(port: number): number[] | undefined {
  if (!hasProc) return undefined;
  return pidsHolding(socketInodes((local, _remote, state) => local === port && state === '0A'));
}

/**
 * Pids holding the server's end of established connections on `serverPort`:
 * all of them, or only the one whose peer (the client's local port) is
 * `clientPort`. Under round-robin the primary holds a connection from
 * accept() until a worker has taken it, then the worker does. Linux only.
 */
export function connectionHolders(serverPort: number, clientPort?: number): number[] | undefined {
  if (!hasProc) return undefined;
  const established = (local: number, remote: number, state: string) =>
    local === serverPort && (clientPort === undefined || remote === clientPort) && state === '01';
  return pidsHolding(socketInodes(established));
}
