// Forcing the stranded connection, for the demo and the tests: the order of
// events is fixed by hand instead of hoped for. With 2 idle workers A and B:
//   1. A request is answered by A. Round-robin deals the next connection to
//      the other worker: B.
//   2. SIGSTOP B: it is alive but can read nothing, like a worker in the
//      instant before it dies.
//   3. A client sends a request on a new connection. Under rr the primary
//      accepts it and sends it to B; until B takes it, the primary holds the
//      socket (we watch /proc for that). Under none it waits in the kernel's
//      queue of the shared socket, where only a worker that runs can take it.
//   4. SIGKILL B, and wait until the primary has seen it exit.
// Linux only: it reads /proc to see who holds the connection.
import { once } from 'node:events';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LessonProcess } from '@cluster-course/shared/harness';
import { fresh } from '@cluster-course/shared/harness/http';
import { nodeChildrenOf } from '@cluster-course/shared/harness/proc';
// Which process holds a connection: read from /proc, as lesson 06 explains.
import { connectionHolders } from '@cluster-course/shared/runtime/sockets';

/**
 * Runs steps 1 to 4; `send` is step 3's client, started while B is stopped.
 * `policy` is the one the lesson was started with. Resolves with the pids of
 * the worker killed with the connection and of the one left.
 */
export async function strandNextConnection(lesson: LessonProcess, policy: 'rr' | 'none', send: () => void) {
  const workers = nodeChildrenOf(lesson.pid);
  if (workers.length !== 2) throw new Error(`expected 2 workers, found ${workers.length}`);
  const survivor = (await fresh(lesson.url)).workerPid; // 1.
  const killed = workers.find((pid) => pid !== survivor) ?? 0;
  process.kill(killed, 'SIGSTOP'); // 2.

  send(); // 3.
  for (let waited = 0; policy === 'rr' && !connectionHolders(lesson.port)?.includes(lesson.pid); waited += 10) {
    if (waited > 5_000) throw new Error('the primary never took the connection');
    await sleep(10);
  }

  const since = lesson.mark();
  process.kill(killed, 'SIGKILL'); // 4.
  await lesson.waitForLine(new RegExp(`\\(pid ${killed}\\) was killed by signal: SIGKILL`), { since });
  return { killed, survivor };
}

/** A bare HTTP/1.1 request on a socket of its own, to watch what comes back, byte by byte. */
export function rawRequest(port: number, path = '/') {
  const socket = net.connect(port, '127.0.0.1');
  let text = '';
  let closed = false;
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    text += chunk;
  });
  socket.on('error', () => {});
  socket.once('close', () => {
    closed = true;
  });
  socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
  return {
    socket,
    /** What the server has sent back so far. */
    received: () => text,
    /** Whether the connection has been closed, by either side. */
    closed: () => closed,
    /** Pids holding the server's end of this connection now. */
    holders: () => connectionHolders(port, socket.localPort ?? -1) ?? [],
    /** Resolves once the server has closed the connection (after its answer), or after `ms`. */
    ended: async (ms: number) =>
      closed ||
      once(socket, 'close', { signal: AbortSignal.timeout(ms) }).then(
        () => true,
        () => false,
      ),
  };
}
