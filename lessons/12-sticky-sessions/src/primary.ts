// The primary: fork the workers, put the front door in place for the mode,
// open it once every worker is ready, replace a worker that dies, and the
// shared stop (shared/src/runtime/cluster-stop.ts).
//   plain    no front door of its own: the workers listen (node:cluster).
//   sticky   a net server that routes by client address (src/sticky-by-address.ts).
//   library  an HTTP server wired by @socket.io/sticky (src/library.ts).
// In sticky and library the port opens only when every worker is ready:
// there is nobody to hand a connection to before that.
import cluster from 'node:cluster';
import http from 'node:http';
import type net from 'node:net';
import {
  announceReady,
  describeListenError,
  handleClusterStop,
  primaryLogger,
  startPrimary,
  urlOf,
} from '@cluster-course/shared';
import { config } from './config.ts';
import { addToRotation, keepOutOfRotation, useLibraryInPrimary } from './library.ts';
import { isMessage, READY, type Ready } from './messages.ts';
import { Pool } from './pool.ts';
import { stickyByAddress } from './sticky-by-address.ts';

export async function runPrimary(): Promise<void> {
  const log = primaryLogger();
  await startPrimary({ log, host: config.host, ports: [config.port], about: `MODE=${config.mode}` });
  const pool = new Pool(config.workers);
  let frontDoor: net.Server | undefined;
  if (config.mode === 'sticky') frontDoor = stickyByAddress((hash) => pool.pick(hash));
  if (config.mode === 'library') {
    frontDoor = http.createServer();
    useLibraryInPrimary(frontDoor as http.Server); // before the first fork
  }
  const shutdown = handleClusterStop({
    log,
    workers: () => pool.alive(),
    isListening: (worker) => pool.isReady(worker),
    beforeExit: () => frontDoor?.close(),
  });

  let workersPort = config.port; // MODE=plain: the port the workers share, from their READY
  const announce = (port: number) => {
    const how = { plain: 'round-robin', sticky: 'sticky by client address', library: '@socket.io/sticky' };
    announceReady(
      urlOf('http', config.host, port),
      `MODE=${config.mode}: ${config.workers} workers, ${how[config.mode]}`,
    );
  };
  const openFrontDoor = () => {
    const door = frontDoor;
    if (!door) return announce(workersPort);
    door.once('error', (err) => {
      process.stderr.write(`${describeListenError(err, config.host, config.port)}\n`);
      shutdown.stop('cannot listen', 1);
    });
    door.listen({ host: config.host, port: config.port }, () => {
      const { port } = door.address() as net.AddressInfo;
      log(`listening on ${urlOf('http', config.host, port)}; handing connections to the workers`);
      announce(port);
    });
  };

  let opened = false;
  cluster.on('message', (worker, message) => {
    if (!isMessage(message, READY) || shutdown.stopping) return;
    workersPort = (message as Ready).port ?? workersPort;
    pool.markReady(worker);
    if (config.mode === 'library') addToRotation(worker);
    log(`worker ${worker.id} (pid ${worker.process.pid}) ready`);
    if (!opened && pool.readyCount === config.workers) {
      opened = true;
      openFrontDoor();
    }
  });

  cluster.on('exit', (worker, code, signal) => {
    const { slot, wasReady } = pool.remove(worker);
    if (shutdown.stopping) return;
    log(`worker ${worker.id} (pid ${worker.process.pid}) exited (${signal ?? `code ${code}`})`);
    // Replaced if it had been ready (lesson 02's backoff is left out: one
    // that never got ready is not, so no crash loop). Its clients reconnect,
    // to whichever worker they are routed to now.
    if (wasReady && slot >= 0) {
      const next = pool.fork(slot);
      log(`worker ${next.id} forked to take its place`);
    } else if (pool.alive().length === 0) shutdown.stop('no workers left', 1);
  });

  cluster.on('fork', (worker) => {
    if (config.mode === 'library') keepOutOfRotation(worker);
  });
  for (let slot = 0; slot < config.workers; slot++) pool.fork(slot);
}
