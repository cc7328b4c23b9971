// The Express app, as a factory. It knows nothing about clusters (no
// node:cluster here): the same app runs in one process (run this file) or in
// every worker of a cluster (src/main.ts), which passes in its worker id.
// Keeping the app separate from how it is started is what makes it easy to
// test and to scale.
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { announceReady, holdLifeline, listenOrReport, urlOf } from '@cluster-course/shared';
import express from 'express';
import { config } from './config.ts';
import { errorHandler, notFound } from './errors.ts';

/** The app; workerId is the cluster worker's id, or 0 in a process of its own. */
export function createApp(workerId: number) {
  const app = express();
  app.disable('x-powered-by');

  // Who answered: on every response, errors included.
  app.use((_req, res, next) => {
    res.set('x-worker-id', String(workerId));
    res.set('x-worker-pid', String(process.pid));
    next();
  });
  // JSON bodies up to 100 kB (Express's default limit, written out).
  app.use(express.json({ limit: '100kb' }));

  app.get('/', (_req, res) => {
    res.json({ worker: workerId, pid: process.pid, message: `Hello from worker ${workerId}` });
  });

  // The route of "Understanding the NodeJS cluster module", word for word.
  app.get('/cluster', (_req, res) => {
    res.type('text/plain').send(`Running on worker with id ==> ${workerId}`);
  });

  app.post('/echo', (req, res) => {
    if (!req.is('application/json')) {
      res.status(415).json({ error: 'send a JSON body (Content-Type: application/json)' });
      return;
    }
    res.json({ worker: workerId, pid: process.pid, echo: req.body });
  });

  // State in process memory: every worker has its own counter.
  let visits = 0;
  app.get('/visits', (_req, res) => {
    visits += 1;
    res.json({ worker: workerId, pid: process.pid, visits });
  });

  // An async handler that fails: Express 5 passes the rejection to the
  // error handler (Express 4 left it unhandled and the request hanging).
  app.get('/boom', async () => {
    throw new Error('something broke inside /boom');
  });

  app.use(notFound);
  app.use(errorHandler);
  return app;
}

/** Serve the app on HOST:PORT in this process; the primary learns of failures. */
export function serve(workerId: number): http.Server {
  const server = http.createServer(createApp(workerId));
  listenOrReport(server, { host: config.host, port: config.port });
  return server;
}

// Run directly (`node --import tsx src/app.ts`), this file serves on its own:
// one process, no cluster. Imported (by src/main.ts), it only exports. This is
// the ES module form of CommonJS's `if (!module.parent)` / `require.main ===
// module`; Node.js 22.18+ and 24 also offer `import.meta.main`.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  holdLifeline();
  const server = serve(0); // no cluster: worker id 0
  server.once('listening', () => {
    const address = server.address(); // AddressInfo for TCP (a string only for a pipe)
    const port = address !== null && typeof address !== 'string' ? address.port : config.port;
    announceReady(urlOf('http', config.host, port), '1 process, no cluster');
  });
  const stop = () => server.close(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
