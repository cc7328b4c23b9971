// How many connections wait in a process's accept queue: the kernel has
// finished their handshake, and nobody has called accept() on them yet.
// `ss -ltn` shows it as Recv-Q of a LISTEN socket; we read the same number
// from /proc, for the one listening socket a given process holds:
//
//   1. /proc/<pid>/fd/<n> links read `socket:[<inode>]` for its sockets;
//   2. /proc/net/tcp and tcp6 list every TCP socket with its inode, its
//      state (0A is LISTEN) and `tx_queue:rx_queue`, in hex. For a LISTEN
//      socket rx_queue is the accept queue's length.
//
// With reusePort every worker has a LISTEN socket of its own on the same
// port, so this tells, connection by connection, whose queue it went to.
// Linux only.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
      if (inode) inodes.add(inode);
    } catch {
      // the fd closed meanwhile
    }
  }
  return inodes;
}

/** Length of the accept queue of `pid`'s LISTEN socket on `port`; undefined if it holds none. */
export function acceptQueueLength(pid: number, port: number): number | undefined {
  const mine = socketInodes(pid);
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue; // no IPv6 on this machine
    }
    for (const line of text.split('\n').slice(1)) {
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
      const [, local = '', , state, queues = '', , , , , inode = ''] = line.trim().split(/\s+/);
      if (state !== '0A' || !mine.has(inode)) continue;
      if (Number.parseInt(local.split(':')[1] ?? '', 16) !== port) continue;
      return Number.parseInt(queues.split(':')[1] ?? '', 16);
    }
  }
  return undefined;
}
