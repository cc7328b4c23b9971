// Lesson 05: a broker built on child_process.fork, no cluster at all.
// Only this process listens. Each HTTP request becomes an IPC message to a
// worker chosen at random; the worker's reply becomes the HTTP response.
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { announceReady, describeListenError, holdLifeline, primaryLogger, urlOf } from '@cluster-course/shared';
import { Broker } from './broker.ts';
import { config } from './config.ts';

const log = primaryLogger();
log(`Broker ${process.pid} is running (${config.workers} workers, timeout ${config.timeoutMs} ms)`);
holdLifeline();

const broker = new Broker({
  workerPath: fileURLToPath(new URL('./worker.ts', import.meta.url)),
  workers: config.workers,
  timeoutMs: config.timeoutMs,
  log,
});

const server = http.createServer(async (req, res) => {
  // The primary parses every request (that is its cost) and passes it on.
  const outcome = await broker.dispatch(req.method ?? 'GET', req.url ?? '/');
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
  log(`${reason}: closing the port, ${broker.inFlight} requests in flight`);
  server.close();
  server.closeIdleConnections();
  await broker.stop(Math.min(config.timeoutMs, 3_000));
  log(`all workers gone; exiting with code ${code}`);
  process.exit(code);
}

broker.on('give-up', (why: string) => {
  process.stderr.write(`giving up: ${why}\n`);
  void shutdown('crash loop', 1);
});
process.on('SIGINT', () => void shutdown('SIGINT', 0));
process.on('SIGTERM', () => void shutdown('SIGTERM', 0));

server.on('error', (err) => {
  process.stderr.write(`${describeListenError(err, config.host, config.port)}\n`);
  void shutdown('cannot listen', 1);
});

// Workers first: the port opens once there is someone to answer.
broker.once('ready', () => {
  server.listen(config.port, config.host, () => {
    const { port } = server.address() as { port: number };
    announceReady(urlOf('http', config.host, port), `${config.workers} workers, fork broker`);
  });
});
broker.start();
