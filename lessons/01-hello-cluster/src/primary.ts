// The primary: starts the workers, says when they are all listening, and
// stops them all on SIGINT/SIGTERM. It serves no request itself.
import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import {
  announceReady,
  exitIfPortInUse,
  holdLifeline,
  isListenFailed,
  primaryLogger,
  urlOf,
} from '@cluster-course/shared';
import { config } from './config.ts';

const log = primaryLogger();

export async function runPrimary(): Promise<void> {
  log(`Primary ${process.pid} is running`);
  // The runtime under the cluster: the Node.js and libuv versions decide what
  // availableParallelism() counts (the default WORKERS, src/config.ts).
  log(
    `Node.js ${process.version}, libuv ${process.versions.uv}: os.availableParallelism() = ${availableParallelism()}`,
  );
  holdLifeline();
  // Fail fast: a taken port is found here, before any worker is forked.
  await exitIfPortInUse(config.host, [config.port]);

  // A worker can end between any two messages: a stop's SIGTERM while it is
  // still starting (below), a crash, the OOM killer. Node.js answers each
  // worker's request to listen from this process; if the worker has just
  // ended, that answer meets a closed pipe (write EPIPE), emitted as 'error'
  // on its Worker. An 'error' event nobody listens to throws: the primary
  // would die of a worker's death, exit 1. Log it; the worker's 'exit'
  // follows and is handled below.
  cluster.on('fork', (worker) => {
    worker.on('error', (err) => log(`worker ${worker.id} (pid ${worker.process.pid}): ${err.message}`));
  });

  // One worker per core (WORKERS, default os.availableParallelism()).
  // Each fork() runs src/main.ts again in a new process.
  const alive = new Set<Worker>();
  for (let i = 0; i < config.workers; i++) alive.add(cluster.fork());

  // 'listening' fires in the primary once per worker whose server is bound.
  // When all of them are, the cluster is ready: print the ready line.
  const listening = new Set<Worker>();
  cluster.on('listening', (worker, address) => {
    log(`worker ${worker.id} (pid ${worker.process.pid}) listening on ${urlOf('http', config.host, address.port)}`);
    listening.add(worker);
    if (listening.size === config.workers) {
      announceReady(urlOf('http', config.host, address.port), `${config.workers} workers`);
    }
  });

  let stopping = false;
  let exitCode = 0;
  function stopAll(reason: string, code: number): void {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    log(`${reason}: stopping ${alive.size} workers`);
    for (const worker of alive) {
      if (listening.has(worker)) {
        // disconnect(): the worker closes its server, finishes open
        // requests, then exits on its own.
        worker.disconnect();
      } else {
        // Still starting: it has accepted nothing, so there is nothing to
        // finish. And it may not have run our code yet (ES modules load
        // asynchronously, so its event loop runs first): a disconnect would
        // arrive before its handlers exist, and it would go on to listen()
        // and serve. End it now.
        worker.process.kill('SIGTERM');
      }
    }
    // The safety net, not the plan: a worker too slow to finish is killed,
    // so a stop never hangs.
    setTimeout(() => {
      for (const worker of alive) worker.process.kill('SIGKILL');
    }, 4_000).unref();
  }

  cluster.on('exit', (worker, code, signal) => {
    alive.delete(worker);
    listening.delete(worker);
    log(`worker ${worker.id} (pid ${worker.process.pid}) exited (${signal ?? `code ${code}`})`);
    // This lesson does not replace workers (lesson 02 does). With none
    // left there is nothing to serve with.
    if (alive.size === 0) {
      if (!stopping) log('no workers left');
      process.exit(stopping ? exitCode : 1);
    }
  });

  // A worker could not listen (the port was taken after the check above,
  // or HOST...): one line, stop, exit 1. Forking new workers would only fail
  // the same way.
  cluster.on('message', (_worker, message) => {
    if (!isListenFailed(message) || stopping) return;
    process.stderr.write(`${message.message}\n`);
    stopAll('cannot listen', 1);
  });

  process.on('SIGINT', () => stopAll('SIGINT', 0));
  process.on('SIGTERM', () => stopAll('SIGTERM', 0));
}
