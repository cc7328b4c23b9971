// Lesson 13: the real nginx in front of INSTANCES clustered instances, each
// standing for one machine. The lesson finds nginx, starts the instances
// (src/instance-main.ts) on ports of their own, writes nginx's configuration
// (src/nginx/conf.ts) into a private prefix, starts nginx (src/nginx/process.ts)
// and prints the ready line once nginx listens. Signals:
//   SIGHUP            rolling deploy across the instances (src/rolling-deploy.ts)
//   SIGINT / SIGTERM  nginx stops gracefully, every instance drains; exit 0
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { announceReady, describeListenError, exitIfPortInUse, holdLifeline, urlOf } from '@cluster-course/shared';
import { privateStateDir, removeStateDir } from '@cluster-course/shared/runtime/state-dir';
import { readConfig } from './config.ts';
import { type Instance, isRunning, startInstance, stopInstance } from './instances.ts';
import { findNginx, missingNginx, nginxVersion } from './nginx/binary.ts';
import { nginxConf } from './nginx/conf.ts';
import { type Nginx, startNginx } from './nginx/process.ts';
import { reloadNginx } from './nginx/reload.ts';
import { freePorts } from './ports.ts';
import { rollingDeploy } from './rolling-deploy.ts';

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

let stopping = false;
let deploying = false;
let nginx: Nginx | undefined;
const instances: Instance[] = [];
let prefix = '';
async function stop(reason: string, code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  log(`${reason}: stopping nginx (gracefully) and draining every instance`);
  await Promise.all([nginx?.stop(), ...instances.map(stopInstance)]);
  if (prefix) removeStateDir(prefix);
  log(`stopped; exit code ${code}`);
  process.exit(code);
}
process.on('SIGINT', () => void stop('SIGINT', 0));
process.on('SIGTERM', () => void stop('SIGTERM', 0));
holdLifeline();
await exitIfPortInUse(config.host, [config.port]); // before anything starts

const ports = await freePorts(config.instances + (config.port === 0 ? 1 : 0));
const nginxPort = config.port || (ports.pop() as number);
instances.push(...ports.map((port, i) => ({ n: i + 1, port })));
prefix = privateStateDir('nginx');
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

/** Starts an instance; an exit after it was ready is logged, not fatal: nginx routes around it. */
async function start(instance: Instance): Promise<boolean> {
  const ready = await startInstance(instance, config.workers, say, sayErr);
  const child = instance.process;
  child?.once('exit', (code, signal) => {
    if (ready && !stopping && child === instance.process && !deploying) {
      log(
        `instance ${instance.n} (pid ${child.pid}) exited (${signal ?? `code ${code}`}): nginx routes around it; SIGHUP starts it again`,
      );
    }
  });
  return ready;
}

const started = await Promise.all(instances.map(start));
if (stopping) await new Promise(() => {}); // stop() is under way and exits the process
const failed = instances.find((_, i) => !started[i]);
if (failed) await stop(`instance ${failed.n} exited before it was ready`, 1);

writeFileSync(confPath, confFor(new Set()));
nginx = startNginx(bin, version, prefix, confPath, (line) => say(`[nginx] ${line}`));
try {
  await nginx.listening;
} catch (err) {
  if (stopping) await new Promise(() => {}); // our own stop ended it
  const message = (err as Error).message;
  // nginx's own words, turned into the course's one line for a taken port.
  sayErr(
    /bind\(\).*\(98:/.test(message) ? describeListenError({ code: 'EADDRINUSE' }, config.host, nginxPort) : message,
  );
  await stop('nginx could not start', 1);
}
void nginx.exited.then((code) => {
  if (!stopping) void stop(`nginx exited (code ${code})`, 1);
});

process.on('SIGHUP', async () => {
  if (deploying || stopping || !nginx) return log('SIGHUP: not now (starting, stopping, or a deploy is under way)');
  deploying = true;
  const running = nginx;
  await rollingDeploy({
    instances,
    route: (down) => reloadNginx(running, prefix, confPath, confFor(down)),
    start,
    log,
    stopping: () => stopping,
  });
  deploying = false;
});

const running = instances.filter(isRunning).length;
announceReady(
  urlOf('http', config.host, nginxPort),
  `nginx ${version} -> ${running} instances x ${config.workers} workers, ${config.balance}`,
);
