// What each worker of an instance serves, with `x-instance`, `x-worker-id`
// and `x-worker-pid` on every answer:
//   GET  /hello      needs no state: it answers even while Redis is down
//   POST /visits     counts a visit, {"visits": n} (?atomic=0: GET then SET)
//   POST /login      {"user": "ada"} starts a session (a `sid` cookie)
//   GET  /me         who the session says you are, on any instance
//   GET  /limited    LIMIT requests per client per window, fleet-wide
//   /socket.io/      the chat (src/chat.ts)
// The state lives where STATE says (src/state/): Redis, or this process.
// Told to stop (STOP from its instance), it drains as lesson 08 taught.
import cluster from 'node:cluster';
import http from 'node:http';
// Building on lesson 08 on purpose: its drain.
import { drainable } from '@cluster-course/08-graceful-restart/drain';
// Building on lesson 13 on purpose: its instances drain on STOP.
import { STOP } from '@cluster-course/13-nginx/messages';
import { ignoreTerminalCtrlC, listenOrReport, type ServerEnv, workerLogger } from '@cluster-course/shared';
import express, { type ErrorRequestHandler } from 'express';
import { startChat } from './chat.ts';
import { memoryHistory, redisHistory } from './chat-history.ts';
import { readConfig } from './config.ts';
import { answer, deadline, STORE_DOWN } from './deadline.ts';
import { connectRedis } from './redis/client.ts';
import { limiter } from './state/limiter.ts';
import { sessions } from './state/sessions.ts';
import { memoryVisits, redisVisits } from './state/visits.ts';
import { isStoreError } from './store-error.ts';

export async function runApp(instance: number, { host, port }: ServerEnv): Promise<void> {
  const config = readConfig();
  const id = cluster.worker?.id ?? 0;
  const log = workerLogger(id);
  const prefix = process.env.KEY_PREFIX ?? 'lesson14:';
  const url = config.state === 'redis' ? config.redisUrl : undefined;
  const redis = url ? await connectRedis(url, log) : undefined;
  const visits = redis ? redisVisits(redis, `${prefix}visits`) : memoryVisits();

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback'); // nginx, on this machine, says who the client is (X-Forwarded-For)
  app.use((_req, res, next) => {
    res.set({ 'x-instance': String(instance), 'x-worker-id': String(id), 'x-worker-pid': String(process.pid) });
    if (drainer.draining) res.set('connection', 'close'); // come back on a new connection
    next();
  });
  app.get('/hello', (_req, res) => {
    res.type('text').send(`Hello from instance ${instance}, worker ${id} (pid ${process.pid})\n`);
  });
  const bounded = deadline(config.redisTimeoutMs); // every route below needs the store
  app.post('/visits', bounded, async (req, res) => {
    answer(res, 200, { visits: await visits.increment(req.query.atomic !== '0') });
  });
  const session = sessions(process.env.SESSION_SECRET ?? 'not-a-secret', redis, prefix);
  app.post('/login', bounded, express.json({ limit: '1kb' }), session, (req, res, next) => {
    const user = (req.body as { user?: unknown } | undefined)?.user;
    if (typeof user !== 'string' || !/^[\w.-]{1,40}$/.test(user)) {
      return answer(res, 400, { error: 'send {"user": "<1 to 40 letters, digits, . _ ->"}' });
    }
    req.session.user = user;
    // Saved now, so a failure is this request's 503, not a cookie for nothing.
    req.session.save((err) => (err ? next(err) : answer(res, 200, { user, instance })));
  });
  app.get('/me', bounded, session, (req, res) => {
    if (!req.session.user) answer(res, 401, { error: 'no session: POST /login first' });
    else answer(res, 200, { user: req.session.user, instance });
  });
  app.get('/limited', bounded, limiter(config.limit, config.limitWindowMs, redis, prefix), (_req, res) => {
    answer(res, 200, { ok: true });
  });
  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  const onError: ErrorRequestHandler = (err, _req, res, _next) => {
    if (isStoreError(err)) return answer(res, 503, STORE_DOWN);
    if ((err as { type?: string }).type === 'entity.parse.failed') return answer(res, 400, { error: 'bad JSON' });
    if (res.headersSent) return; // the deadline answered; this is the late failure
    log(`error: ${(err as Error).message}`);
    answer(res, 500, { error: 'internal error' });
  };
  app.use(onError);

  const server = http.createServer(app);
  const history = redis ? redisHistory(redis, `${prefix}chat`) : memoryHistory();
  const chat = startChat(server, { instance, workerId: id, redisUrl: url, prefix, history });
  const drainer = drainable(server);
  listenOrReport(server, { host, port });

  process.on('message', (message) => {
    if ((message as { type?: unknown } | null)?.type !== STOP.type) return;
    chat.closeConnections(); // their clients reconnect to another instance
    drainer.drain(async () => {
      await Promise.all([redis?.close().catch(() => {}), chat.closeRedis()]);
      log('drained; leaving the cluster');
      cluster.worker?.disconnect();
    });
  });
  ignoreTerminalCtrlC();
}
