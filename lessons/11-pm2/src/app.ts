// The app PM2 runs in each instance: a plain HTTP server that does not
// fork or manage anything. PM2's cluster mode is node:cluster underneath, so
// this is a cluster worker (lesson 01), and what lessons 02 and 08 wrote in
// their primaries PM2 now does. The app keeps its half of the deal:
//   - it says when it is ready: process.send('ready') once it listens (wait_ready);
//   - it drains on SIGINT, PM2's stop signal, within kill_timeout (lesson 08);
//   - it exits 78 when its port is taken: listed in stop_exit_codes, so PM2
//     does not restart it in a loop.
import cluster from 'node:cluster';
import http from 'node:http';
import type net from 'node:net';
// Building on lesson 08 on purpose: its drain.
import { drainable } from '@cluster-course/08-graceful-restart/drain';
import { describeListenError } from '@cluster-course/shared';
import { DEFAULT_PORT, PORT_IN_USE_EXIT } from './config.ts';

/** PM2 numbers its instances 0, 1, ... in NODE_APP_INSTANCE. */
const instance = Number(process.env.NODE_APP_INSTANCE ?? 0);
const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? DEFAULT_PORT);

const log = (line: string) => process.stdout.write(`${line}\n`); // PM2 adds the instance
const server = http.createServer((req, res) => {
  const reply = (status: number, text: string) => {
    res.setHeader('x-worker-id', instance);
    res.setHeader('x-worker-pid', process.pid);
    res.setHeader('content-type', 'text/plain; charset=utf-8');
    if (drainer.draining) res.setHeader('connection', 'close');
    res.statusCode = status;
    res.end(`${text}\n`);
  };
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === '/crash' && req.method === 'POST') {
    reply(202, `instance ${instance} (pid ${process.pid}) crashes now`);
    // An uncaught exception once the answer is out: the process dies, PM2 restarts it.
    res.once('finish', () =>
      setImmediate(() => {
        throw new Error(`POST /crash: instance ${instance} crashed on purpose`);
      }),
    );
    return;
  }
  if (req.method !== 'GET') return reply(405, 'method not allowed');
  if (url.pathname === '/') return reply(200, `Hello from instance ${instance} (pid ${process.pid})`);
  if (url.pathname === '/slow') {
    const ms = Number(url.searchParams.get('ms') ?? '1000');
    if (!Number.isInteger(ms) || ms < 0 || ms > 60_000) return reply(400, 'ms must be an integer from 0 to 60000');
    setTimeout(() => reply(200, `instance ${instance} (pid ${process.pid}) waited ${ms} ms`), ms);
    return;
  }
  return reply(404, 'not found');
});
const drainer = drainable(server);

server.once('error', (err) => {
  // One line, and an exit code PM2 is told not to restart (stop_exit_codes).
  process.stderr.write(`${describeListenError(err, host, port)}\n`);
  process.exit(PORT_IN_USE_EXIT);
});
server.listen({ host, port }, () => {
  const { port: bound } = server.address() as net.AddressInfo;
  log(`(pid ${process.pid}) listening on port ${bound}`);
  process.send?.('ready'); // wait_ready: PM2 counts this instance online now
});

process.on('SIGINT', () => {
  if (drainer.draining) return;
  log(`(pid ${process.pid}) SIGINT: draining`);
  drainer.drain(() => {
    // Drained. Not process.exit() yet: under round-robin the primary (PM2's
    // God) may have dealt us one more connection as we closed. A disconnect
    // we start ourselves is answered by the primary on the same ordered
    // channel, after any such connection, which Node.js then hands back to
    // another instance (lesson 08's race, and lesson 02's stranded connection).
    log(`(pid ${process.pid}) drained; disconnecting from the primary`);
    process.once('disconnect', () => process.exit(0));
    cluster.worker?.disconnect();
    if (!cluster.worker) process.exit(0);
  });
});
