// A test hook: no lesson's own code uses it. It freezes a WebSocket upgrade
// at the one moment where a primary that hands sockets to its workers can
// lose bytes (lesson 12, "the third gap"), so a test can force that order
// instead of waiting for a busy machine to hit it.
//
// The harness loads it with `--import` when a test asks for it
// (startLesson(dir, { freezeUpgrade: true })); it runs in every process of
// the lesson, like hold-worker.ts, and acts once in each:
//   - in the primary: right after a worker.send() that handed a socket over
//     together with the start of a WebSocket upgrade request (what
//     @socket.io/sticky sends: the first chunk it read), the primary stops
//     itself (SIGSTOP), before Node.js has had the worker's acknowledgement.
//   - in a worker: right after it has written an upgrade's answer (`HTTP/1.1
//     101`), once the event loop turn that wrote it is over, before it polls
//     for what the client sends next, the worker stops itself too.
// Each prints one `[test hook]` line first. The test decides who runs on,
// and when, with SIGCONT.
import cluster from 'node:cluster';
import net from 'node:net';
import { HOOK_ENV } from './hook-env.ts';

const stop = (who: string, what: string) => {
  process.stdout.write(`[test hook] ${who} (pid ${process.pid}) stopped ${what}\n`);
  process.kill(process.pid, 'SIGSTOP');
};

if (process.env[HOOK_ENV.freezeUpgrade] && cluster.isPrimary) {
  let done = false;
  cluster.on('fork', (worker) => {
    const send = worker.send.bind(worker) as (...args: unknown[]) => boolean;
    worker.send = ((...args: unknown[]) => {
      const [message, handle] = args;
      const sent = send(...args);
      const data = (message as { data?: unknown } | undefined)?.data;
      if (!done && handle instanceof net.Socket && Buffer.isBuffer(data) && /upgrade: websocket/i.test(String(data))) {
        done = true;
        stop('primary', `after handing a WebSocket upgrade to worker ${worker.id}`);
      }
      return sent;
    }) as typeof worker.send;
  });
}

if (process.env[HOOK_ENV.freezeUpgrade] && cluster.isWorker) {
  const write = net.Socket.prototype.write;
  let done = false;
  net.Socket.prototype.write = function (this: net.Socket, ...args: unknown[]) {
    const written = (write as (...a: unknown[]) => boolean).apply(this, args);
    if (!done && String(args[0]).startsWith('HTTP/1.1 101 ')) {
      done = true;
      setImmediate(() => stop(`worker ${cluster.worker?.id}`, 'after answering a WebSocket upgrade (101)'));
    }
    return written;
  } as typeof write;
}
