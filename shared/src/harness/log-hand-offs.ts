// A test hook: no lesson's own code uses it. In a primary that hands
// sockets to its workers (worker.send(message, socket): lesson 12's
// @socket.io/sticky), it prints one line per socket handed over, naming the
// worker, right after the send. With the workers stopped (SIGSTOP), a test
// can open connections, wait for one such line each, and so know the
// primary has dealt every one of them before any worker could say a word
// back: the order a burst of new clients meets on a busy machine, forced.
//
// The harness loads it with `--import` when a test asks for it
// (startLesson(dir, { logHandOffs: true })); it acts in the primary only.
import cluster from 'node:cluster';
import net from 'node:net';
import { HOOK_ENV } from './hook-env.ts';

if (process.env[HOOK_ENV.logHandOffs] && cluster.isPrimary) {
  cluster.on('fork', (worker) => {
    const send = worker.send.bind(worker) as (...args: unknown[]) => boolean;
    worker.send = ((...args: unknown[]) => {
      const sent = send(...args);
      if (args[1] instanceof net.Socket) {
        process.stdout.write(`[test hook] primary handed a connection to worker ${worker.id}\n`);
      }
      return sent;
    }) as typeof worker.send;
  });
}
