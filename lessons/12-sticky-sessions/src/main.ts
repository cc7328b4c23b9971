// Lesson 12: a Socket.IO chat in a cluster, three ways (MODE).
//   plain    every worker listens, round-robin: polling sessions break,
//            broadcasts stay inside one worker
//   sticky   the primary hands each connection to the worker chosen by the
//            client's address (by hand: src/sticky-by-address.ts)
//   library  @socket.io/sticky + @socket.io/cluster-adapter (src/library.ts), the default
import cluster from 'node:cluster';
import { runPrimary } from './primary.ts';
import { runWorker } from './worker.ts';

if (cluster.isPrimary) await runPrimary();
else runWorker();
