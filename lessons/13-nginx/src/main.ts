// Lesson 13: the real nginx in front of INSTANCES clustered instances, each
// standing for one machine. After its checks the lesson takes three steps:
//   1. start the instances (src/instances.ts runs src/instance-main.ts), each
//      on a port of its own, and wait until every one is ready;
//   2. start nginx in front of them (src/nginx/), from a private prefix, and
//      wait until it listens;
//   3. wire SIGHUP to a rolling deploy (src/rolling-deploy.ts), and say ready.
// SIGINT/SIGTERM, at any moment, run the stop (src/lesson-stop.ts): nginx
// stops gracefully, every instance drains; exit 0.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
import { type Instance, isRunning, startInstance, stopInstance } from './instances.ts';
import { lessonStop } from './lesson-stop.ts';
import { findNginx, missingNginx, nginxVersion } from './nginx/binary.ts';
import { nginxConf } from './nginx/conf.ts';
import { type Nginx, startNginx } from './nginx/process.ts';
import { reloadNginx } from './nginx/reload.ts';
import { deployOnDemand } from './rolling-deploy.ts';

const config = readConfig(); // bad values: one line, exit 2
const bin = findNginx();
if (!bin) {
  process.stderr.write(`${missingNginx()}\n`);
  process.exit(2);
}
const version = nginxVersion(bin);
const log = (line: string) => process.stdout.write(`[lesson ${process.pid}] ${line}\n`);
const say = (line: string) => process.stdout.write(`${line}\n`);
const sayErr = (line: string) => process.stderr.write(`${line}\n`);

log(
  `nginx ${version} in front of ${config.instances} instance(s) of ${config.workers} worker(s) ` +
    `(BALANCE=${config.balance}, KEEPALIVE=${config.keepalive})`,
);
const lesson = lessonStop(log);
process.on('SIGINT', () => void lesson.stop('SIGINT', 0));
process.on('SIGTERM', () => void lesson.stop('SIGTERM', 0));
holdLifeline();
await exitIfPortInUse(config.host, [config.port]); // before anything starts

// The ports: one per instance, for the whole run, and nginx's (PORT, or a free one).
const ports = await reservePorts(config.instances + (config.port === 0 ? 1 : 0));
const nginxPort = config.port || (ports.pop() as number);
const instances: Instance[] = ports.map((port, i) => ({ n: i + 1, port }));
const prefix = privateStateDir('nginx'); // configuration, pid file, logs, temp files
lesson.atLast(() => removeStateDir(prefix));
mkdirSync(join(prefix, 'temp'), { recursive: true });
const confPath = join(prefix, 'nginx.conf');
const confFor = (down: Set<number>) =>
  nginxConf({
    prefix,
    host: config.host,
    port: nginxPort,
    upstreams: instances.map((i) => ({ instance: i.n, port: i.port, down: down.has(i.n) })),
    balance: config.balance,
    keepalive: config.keepalive,
  });
log(`nginx prefix (configuration, pid file, access.log): ${prefix}`);

/** Starts an instance; an exit we did not ask for, once it was ready, is logged: nginx routes around it. */
async function start(instance: Instance): Promise<boolean> {
  const ready = await startInstance(instance, { workers: config.workers, out: say, err: sayErr });
  const child = instance.process;
  child?.once('exit', (code, signal) => {
    // child.killed: we signalled it (a deploy's drain, or the stop).
    if (ready && !child.killed && !lesson.stopping) {
      log(
        `instance ${instance.n} (pid ${child.pid}) exited (${signal ?? `code ${code}`}): nginx routes around it; SIGHUP starts it again`,
      );
    }
  });
  return ready;
}

/** Step 1: every instance, ready. */
async function startInstances(): Promise<void> {
  lesson.onStop(() => Promise.all(instances.map(stopInstance)));
  const started = await Promise.all(instances.map(start));
  const failed = instances.find((_, i) => !started[i]);
  if (failed) await lesson.stop(`instance ${failed.n} exited before it was ready`, 1);
}

/** Step 2: nginx in front of them, listening. */
async function startNginxInFront(): Promise<Nginx> {
  if (lesson.stopping) await lesson.stopped; // a stop came during step 1: no nginx to start
  writeFileSync(confPath, confFor(new Set()));
  const nginx = startNginx(bin as string, version, prefix, confPath, (line) => say(`[nginx] ${line}`));
  lesson.onStop(() => nginx.stop());
  try {
    await nginx.listening;
  } catch (err) {
    if (lesson.stopping) await lesson.stopped; // our own stop ended it
    const message = (err as Error).message;
    // nginx's own words, turned into the course's one line for a taken port.
    sayErr(
      /bind\(\).*\(98:/.test(message) ? describeListenError({ code: 'EADDRINUSE' }, config.host, nginxPort) : message,
    );
    await lesson.stop('nginx could not start', 1);
  }
  void nginx.exited.then((code) => lesson.stop(`nginx exited (code ${code})`, 1));
  return nginx;
}

await startInstances();
const nginx = await startNginxInFront();
// Step 3: SIGHUP, a rolling deploy across the instances, one at a time.
process.on(
  'SIGHUP',
  deployOnDemand({
    instances,
    route: (down) => reloadNginx(nginx, prefix, confPath, confFor(down)),
    start,
    log,
    stopping: () => lesson.stopping,
  }),
);
const running = instances.filter(isRunning).length;
announceReady(
  urlOf('http', config.host, nginxPort),
  `nginx ${version} -> ${running} instances x ${config.workers} workers, ${config.balance}`,
);
