// Lesson 14: INSTANCES clustered instances behind nginx, their state in the
// real Redis. After its checks the lesson takes four steps:
//   1. start Redis (src/redis/server.ts) in a private folder, or use REDIS_URL;
//      with STATE=memory there is no Redis at all;
//   2. start the instances (lesson 13's launcher, this lesson's src/instance-main.ts),
//      each told where Redis is, and wait until every one is ready;
//   3. start nginx in front of them (lesson 13's, with src/nginx-conf.ts);
//   4. say ready.
// SIGINT/SIGTERM, at any moment: nginx stops and every instance drains, then
// Redis stops (after the last request that may need it), then exit 0.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Instance, startInstance, stopInstance } from '@cluster-course/13-nginx/instances';
import { lessonStop } from '@cluster-course/13-nginx/lesson-stop';
import { findNginx, missingNginx, nginxVersion } from '@cluster-course/13-nginx/nginx/binary';
import { startNginx } from '@cluster-course/13-nginx/nginx/process';
import {
  announceReady,
  describeListenError,
  exitIfPortInUse,
  holdLifeline,
  reservePorts,
  urlOf,
} from '@cluster-course/shared';
import { privateStateDir, removeStateDir } from '@cluster-course/shared/runtime/state-dir';
import { readConfig } from './config.ts';
import { nginxConf } from './nginx-conf.ts';
import { findRedisServer, missingRedis, redisVersion } from './redis/binary.ts';
import { forgetOwnKeys } from './redis/own-keys.ts';
import { superviseRedis } from './redis/supervise.ts';

const config = readConfig(); // bad values: one line, exit 2
const ownRedis = config.state === 'redis' && !config.redisUrl;
const redisBin = ownRedis ? findRedisServer() : undefined;
if (ownRedis && !redisBin) {
  process.stderr.write(`${missingRedis()}\n`);
  process.exit(2);
}
const nginxBin = findNginx();
if (!nginxBin) {
  process.stderr.write(`${missingNginx().replace('lesson 13', 'lesson 14')}\n`);
  process.exit(2);
}
const log = (line: string) => process.stdout.write(`[lesson ${process.pid}] ${line}\n`);
const say = (line: string) => process.stdout.write(`${line}\n`);
const sayErr = (line: string) => process.stderr.write(`${line}\n`);
const lesson = lessonStop(log, 'nginx and every instance (draining), then Redis');
process.on('SIGINT', () => void lesson.stop('SIGINT', 0));
process.on('SIGTERM', () => void lesson.stop('SIGTERM', 0));
holdLifeline();
await exitIfPortInUse(config.host, [config.port]); // before anything starts

// The ports: Redis's (our own server), one per instance, and nginx's (PORT, or a free one).
const ports = await reservePorts(config.instances + (ownRedis ? 1 : 0) + (config.port === 0 ? 1 : 0));
const nginxPort = config.port || (ports.pop() as number);
const redisPort = ownRedis ? (ports.pop() as number) : 0;
const instances: Instance[] = ports.map((port, i) => ({ n: i + 1, port }));
// Our keys, and only ours: REDIS_URL may be a server others use too.
const prefix = `lesson14:${process.pid}:`;
// The stop's order: nginx and the instances together, Redis after the last
// instance (a draining request may still need it). Registered first, so it
// is called first, and Redis's part finds its promise set.
let instancesStopped: Promise<unknown> = Promise.resolve();
lesson.onStop(() => {
  instancesStopped = Promise.all(instances.map(stopInstance));
  return instancesStopped;
});

/** Step 1: where the state lives. */
async function startRedis(): Promise<string | undefined> {
  if (config.state === 'memory') return undefined;
  if (config.redisUrl) {
    log(`Redis: ${config.redisUrl} (REDIS_URL: never stopped or flushed; our keys start with ${prefix})`);
    lesson.onStop(() => instancesStopped.then(() => forgetOwnKeys(config.redisUrl as string, prefix, log)));
    return config.redisUrl;
  }
  const dir = privateStateDir('redis');
  lesson.atLast(() => removeStateDir(dir));
  log(
    `${redisVersion(redisBin as string)} in ${dir} (redis.conf, the append-only file; appendfsync ${config.appendfsync})`,
  );
  const redis = superviseRedis(redisBin as string, dir, redisPort, {
    appendfsync: config.appendfsync,
    log,
    say: (line) => say(`[redis] ${line}`),
    stopping: () => lesson.stopping,
  });
  lesson.onStop(() => instancesStopped.then(() => redis.stop()));
  try {
    await redis.ready;
  } catch (err) {
    sayErr((err as Error).message);
    await lesson.stop('Redis could not start', 1);
  }
  return redis.url;
}

/** Step 2: every instance, ready, told where Redis is. */
async function startInstances(redisUrl: string | undefined): Promise<void> {
  if (lesson.stopping) await lesson.stopped; // a stop came during step 1: start nothing more
  const entry = fileURLToPath(new URL('./instance-main.ts', import.meta.url));
  const env = {
    REDIS_URL: redisUrl ?? '',
    KEY_PREFIX: prefix,
    // Every instance signs session cookies with the same secret, or a cookie
    // made by one would be refused by the others.
    SESSION_SECRET: randomBytes(24).toString('hex'),
  };
  const options = { workers: config.workers, out: say, err: sayErr, entry, env };
  const started = await Promise.all(instances.map((instance) => startInstance(instance, options)));
  const failed = instances.find((_, i) => !started[i]);
  if (failed) await lesson.stop(`instance ${failed.n} exited before it was ready`, 1);
}

/** Step 3: nginx in front of them, listening. */
async function startFront(): Promise<void> {
  if (lesson.stopping) await lesson.stopped;
  const dir = privateStateDir('nginx');
  lesson.atLast(() => removeStateDir(dir));
  mkdirSync(join(dir, 'temp'), { recursive: true });
  const confPath = join(dir, 'nginx.conf');
  const instancePorts = instances.map((i) => i.port);
  writeFileSync(confPath, nginxConf({ prefix: dir, host: config.host, port: nginxPort, instancePorts }));
  const version = nginxVersion(nginxBin as string);
  const nginx = startNginx(nginxBin as string, version, dir, confPath, (line) => say(`[nginx] ${line}`));
  lesson.onStop(() => nginx.stop());
  try {
    await nginx.listening;
  } catch (err) {
    if (lesson.stopping) await lesson.stopped;
    const message = (err as Error).message;
    sayErr(
      /bind\(\).*\(98:/.test(message) ? describeListenError({ code: 'EADDRINUSE' }, config.host, nginxPort) : message,
    );
    await lesson.stop('nginx could not start', 1);
  }
  void nginx.exited.then((code) => lesson.stop(`nginx exited (code ${code})`, 1));
}

const redisUrl = await startRedis();
await startInstances(redisUrl);
await startFront();
announceReady(
  urlOf('http', config.host, nginxPort),
  `nginx -> ${config.instances} instances x ${config.workers} workers, STATE=${config.state}${redisUrl ? ` (${redisUrl})` : ''}`,
);
