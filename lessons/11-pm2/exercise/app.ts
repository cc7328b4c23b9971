// EXERCISE (lesson 11): the app's half of the deal with PM2 is missing
// (TODOs below): it never says it is ready, and on PM2's stop signal it
// drops what it is answering. Check your work with `pnpm exercise 11`;
// stuck? `pnpm exercise 11 --hint`.
//
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
// Building on lesson 08 on purpose: its drain (for TODO 2).
import { drainable } from '@cluster-course/08-graceful-restart/drain';
import { describeListenError } from '@cluster-course/shared';
import { DEFAULT_PORT, PORT_IN_USE_EXIT } from '../src/config.ts'; // the files you do not edit stay in src/

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
  // TODO 1: tell PM2 this instance is ready (ecosystem.config.cjs has
  // wait_ready: true): process.send('ready'). process.send exists only
  // when a parent listens on IPC, as PM2 does: call it as process.send?.(...).
});

// TODO 2: PM2 stops an instance with SIGINT, and kills it kill_timeout
// (3 s) later. Drain first, as lesson 08 does: drainer.drain(done) closes
// the server, lets the requests in flight finish, and calls done. Then
// leave the cluster (cluster.worker?.disconnect()) and exit 0 once
// disconnected ('disconnect' on process). Only once: a second SIGINT
// while draining changes nothing.
process.on('SIGINT', () => process.exit(0));
void cluster; // (only so the unfinished file compiles: delete it)
