// The broker's HTTP side: the one server of the whole program. Each request
// becomes a dispatcher.dispatch() (src/dispatcher.ts) to a worker of the pool
// (src/pool.ts); the outcome becomes the response. Lesson 09 runs this same
// server with workers of its own.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  announceReady,
  describeListenError,
  exitIfPortInUse,
  holdLifeline,
  primaryLogger,
  urlOf,
} from '@cluster-course/shared';
import { Dispatcher } from './dispatcher.ts';
import { WorkerPool } from './pool.ts';

export interface BrokerServerOptions {
  host: string;
  port: number;
  workers: number;
  timeoutMs: number;
  /** The workers' entry file. */
  workerPath: string;
}

export async function runBrokerServer(options: BrokerServerOptions): Promise<void> {
  const log = primaryLogger();
  log(`Broker ${process.pid} is running (${options.workers} workers, timeout ${options.timeoutMs} ms)`);
  holdLifeline();

  const pool = new WorkerPool({ ...options, log });
  const dispatcher = new Dispatcher(pool, { timeoutMs: options.timeoutMs, log });

  const server = http.createServer(async (req, res) => {
    // The primary parses every request (that is its cost) and passes it on.
    const outcome = await dispatcher.dispatch(req.method ?? 'GET', req.url ?? '/');
    // The client may have left meanwhile: nobody to answer, drop it.
    if (res.destroyed) {
      log(`the client of ${req.method} ${req.url} left before the answer; dropped it`);
      return;
    }
    res.writeHead(outcome.status, {
      'content-type': outcome.contentType,
      'x-worker-id': String(outcome.worker?.id ?? 0),
      'x-worker-pid': String(outcome.worker?.pid ?? process.pid),
    });
    res.end(outcome.body);
  });

  let stopping = false;
  async function shutdown(reason: string, code: number): Promise<void> {
    if (stopping) return;
    stopping = true;
    log(`${reason}: closing the port, ${dispatcher.inFlight} requests in flight`);
    server.close();
    server.closeIdleConnections();
    await dispatcher.close(Math.min(options.timeoutMs, 3_000));
    await pool.stop();
    log(`all workers gone; exiting with code ${code}`);
    process.exit(code);
  }

  pool.on('give-up', (why: string) => {
    process.stderr.write(`giving up: ${why}\n`);
    void shutdown('crash loop', 1);
  });
  process.on('SIGINT', () => void shutdown('SIGINT', 0));
  process.on('SIGTERM', () => void shutdown('SIGTERM', 0));

  server.on('error', (err) => {
    process.stderr.write(`${describeListenError(err, options.host, options.port)}\n`);
    void shutdown('cannot listen', 1);
  });

  // Workers first: the port opens once there is someone to answer.
  pool.once('ready', () => {
    server.listen(options.port, options.host, () => {
      const { port } = server.address() as AddressInfo;
      announceReady(urlOf('http', options.host, port), `${options.workers} workers, fork broker`);
    });
  });
  await exitIfPortInUse(options.host, [options.port]); // before forking (shared/)
  pool.start();
}
