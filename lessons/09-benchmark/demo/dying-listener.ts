// What reusePort does for a worker that dies with connections waiting for it.
//
// With SO_REUSEPORT every worker listens on a socket of its own, and each
// socket has its own accept queue. The kernel picks the socket for a new
// connection (a hash of its addresses and ports) when the handshake arrives,
// and the connection waits in that socket's queue until that process calls
// accept(). Nobody else will take it. If the process dies first, its socket
// closes, and the kernel resets every connection still in its queue
// (Linux: inet_csk_listen_stop), unless net.ipv4.tcp_migrate_req is 1
// (Linux 5.14+), which moves them to another socket of the same port.
//
// The order is forced, not hoped for: the victim is stopped (SIGSTOP), then
// connections are opened one at a time until some sit in its queue (read
// from /proc, shared/src/runtime/sockets.ts), then it is killed. Linux only.
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { acceptQueueLength } from '@cluster-course/shared/runtime/sockets';

export type Outcome = 'answered' | 'reset' | 'closed' | 'no answer';

interface Probe {
  socket: Socket;
  /** Set when the socket ends: answered (with the answering pid), reset or closed. */
  outcome?: Outcome;
  pid?: number;
}

function probe(host: string, port: number): Probe {
  const socket = connect(port, host);
  const p: Probe = { socket };
  let text = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    text += chunk;
    const pid = /x-worker-pid: (\d+)/i.exec(text)?.[1];
    if (pid && !p.outcome) {
      p.outcome = 'answered';
      p.pid = Number(pid);
    }
  });
  socket.on('error', (err: NodeJS.ErrnoException) => {
    p.outcome ??= err.code === 'ECONNRESET' ? 'reset' : 'closed';
  });
  socket.on('close', () => {
    p.outcome ??= 'closed';
  });
  socket.write(`GET /hello HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
  return p;
}

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await sleep(5);
  }
  return true;
}

export interface DyingListener {
  /** Connections that waited in the stopped victim's queue when it was killed. */
  queued: Outcome[];
  /** Connections the kernel gave the other worker's socket meanwhile: pids that answered them. */
  answeredMeanwhile: number[];
}

/**
 * SIGSTOP `victim`, open connections to `port` until `wanted` of them wait
 * in its accept queue, SIGKILL it, and report what became of each.
 */
export async function killWithQueuedConnections(
  host: string,
  port: number,
  victim: number,
  wanted = 2,
): Promise<DyingListener> {
  process.kill(victim, 'SIGSTOP');
  const queued: Probe[] = [];
  const others: Probe[] = [];
  try {
    for (let i = 0; i < 64 && queued.length < wanted; i++) {
      const before = acceptQueueLength(victim, port) ?? 0;
      const p = probe(host, port);
      await once(p.socket, 'connect');
      // Either the other worker answers it, or it shows up in the victim's queue.
      const inQueue = () => (acceptQueueLength(victim, port) ?? 0) > before;
      if (!(await until(() => p.outcome !== undefined || inQueue(), 5_000)))
        throw new Error('a connection was neither answered nor queued within 5 s');
      (p.outcome === undefined ? queued : others).push(p);
    }
  } finally {
    process.kill(victim, 'SIGKILL');
  }
  await until(() => queued.every((p) => p.outcome !== undefined), 5_000);
  for (const p of [...queued, ...others]) p.socket.destroy();
  return {
    queued: queued.map((p) => p.outcome ?? 'no answer'),
    answeredMeanwhile: others.map((p) => p.pid ?? 0),
  };
}
