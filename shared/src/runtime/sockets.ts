// Who holds a TCP socket, and how long its accept queue is: what `lsof -i`
// and `ss -ltnp` answer, read from /proc (Linux only; elsewhere every
// function returns undefined). Lesson 06 explains the two steps and prints
// the answer for its listening port; lesson 02 uses it to see which process
// holds a connection no worker took, lesson 09 to see whose queue a
// connection went to, and the tests of 02, 05 and 06 to prove who accepts.
//
//   1. /proc/net/tcp and tcp6 list every TCP socket of the machine: local
//      and remote address (hex ip:port), state (0A LISTEN, 01 ESTABLISHED),
//      `tx_queue:rx_queue` (for a LISTEN socket, rx_queue is the accept
//      queue's length) and the socket's inode.
//   2. /proc/<pid>/fd/<n> is a link per open descriptor; a socket's reads
//      `socket:[<inode>]`.
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';

const hasProc = existsSync('/proc/net/tcp');

export interface TcpSocket {
  localPort: number;
  remotePort: number;
  /** The kernel's state in hex: `0A` LISTEN, `01` ESTABLISHED. */
  state: string;
  /** For a LISTEN socket: connections the kernel accepted that no accept() took yet. */
  rxQueue: number;
  inode: string;
}

/** Every TCP socket of the machine (IPv4 and IPv6). */
export function tcpSockets(): TcpSocket[] {
  const sockets: TcpSocket[] = [];
  const hex = (text: string | undefined) => Number.parseInt(text ?? '', 16);
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue; // no IPv6 on this machine
    }
    for (const line of text.split('\n').slice(1)) {
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
      const [, local, remote, state = '', queues, , , , , inode = ''] = line.trim().split(/\s+/);
      if (!inode) continue;
      const port = (address: string | undefined) => hex(address?.split(':')[1]);
      sockets.push({
        localPort: port(local),
        remotePort: port(remote),
        state,
        rxQueue: hex(queues?.split(':')[1]),
        inode,
      });
    }
  }
  return sockets;
}

/** The inodes of the sockets `pid` has open. */
export function socketInodesOf(pid: number): Set<string> {
  const inodes = new Set<string>();
  let fds: string[] = [];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return inodes; // gone meanwhile, or not ours to read
  }
  for (const fd of fds) {
    try {
      const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
      if (inode) inodes.add(inode);
    } catch {
      // the fd closed meanwhile
    }
  }
  return inodes;
}

/** Pids with a descriptor open on one of these sockets, ascending. */
function pidsHolding(sockets: TcpSocket[]): number[] {
  const wanted = new Set(sockets.map((s) => s.inode));
  if (wanted.size === 0) return [];
  const pids = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => [...socketInodesOf(pid)].some((inode) => wanted.has(inode)));
  return pids.sort((a, b) => a - b);
}

/** Pids holding a LISTEN socket on `port`, as `ss -ltnp` shows them. */
export function listeningPids(port: number): number[] | undefined {
  if (!hasProc) return undefined;
  return pidsHolding(tcpSockets().filter((s) => s.localPort === port && s.state === '0A'));
}

/**
 * Pids holding the server's end of established connections on `serverPort`:
 * all of them, or only the one whose peer (the client's local port) is
 * `clientPort`. Under round-robin the primary holds a connection from
 * accept() until a worker has taken it, then the worker does.
 */
export function connectionHolders(serverPort: number, clientPort?: number): number[] | undefined {
  if (!hasProc) return undefined;
  const established = tcpSockets().filter(
    (s) => s.localPort === serverPort && (clientPort === undefined || s.remotePort === clientPort) && s.state === '01',
  );
  return pidsHolding(established);
}

/** Length of the accept queue of `pid`'s LISTEN socket on `port`; undefined if it holds none. */
export function acceptQueueLength(pid: number, port: number): number | undefined {
  if (!hasProc) return undefined;
  const mine = socketInodesOf(pid);
  return tcpSockets().find((s) => s.state === '0A' && s.localPort === port && mine.has(s.inode))?.rxQueue;
}
