// Lesson 05: a broker built on child_process.fork, no cluster at all.
// Only this process listens (src/server.ts). Each HTTP request becomes an IPC
// message to a worker (src/worker.ts) chosen at random by src/dispatcher.ts from the pool of src/pool.ts; the
// worker's reply becomes the HTTP response.
import { fileURLToPath } from 'node:url';
import { config } from './config.ts';
import { runBrokerServer } from './server.ts';

await runBrokerServer({ ...config, workerPath: fileURLToPath(new URL('./worker.ts', import.meta.url)) });
