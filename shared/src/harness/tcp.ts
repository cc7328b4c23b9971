// A line-oriented TCP client for tests and demos: connect, read the server's
// lines one by one, send lines, see the end.
import { once } from 'node:events';
import net from 'node:net';

export interface LineClient {
  /** The next line from the server (rejects on close or after `timeoutMs`). */
  next(timeoutMs?: number): Promise<string>;
  send(line: string): void;
  /** Resolves when the server has closed the connection. */
  closed: Promise<void>;
  close(): void;
}

export async function connectLines(url: string | URL): Promise<LineClient> {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname.replace(/^\[|\]$/g, ''));
  socket.setEncoding('utf8');
  await once(socket, 'connect');
  const lines: string[] = [];
  const waiters: (() => void)[] = [];
  let buffered = '';
  let ended = false;
  const wake = () => {
    for (const waiter of waiters.splice(0)) waiter();
  };
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    lines.push(...parts);
    wake();
  });
  socket.on('error', () => {});
  const closed = once(socket, 'close').then(() => {
    ended = true;
    wake();
  });
  return {
    async next(timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (lines.length === 0) {
        if (ended) throw new Error('connection closed');
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no line within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return lines.shift() as string;
    },
    send: (line) => {
      socket.write(`${line}\n`);
    },
    closed,
    close: () => socket.destroy(),
  };
}
