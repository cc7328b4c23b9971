// Lesson 11: the app of src/app.ts in a cluster run by PM2, in the
// foreground. The lesson validates its environment, gives PM2 a private home,
// starts PM2's God in this process (no daemon), starts the app from
// ecosystem.config.cjs, relays what PM2 and the instances say, and maps
// signals to PM2 commands:
//   SIGHUP            pm2 reload: per instance, start the new, wait for its ready, stop the old
//                     (one at a time up to 2 instances, then 2 at a time: PM2's CONCURRENT_ACTIONS)
//   SIGINT / SIGTERM  pm2 delete: every instance drains (SIGINT, kill_timeout), then the lesson exits 0
import cluster, { type Worker } from 'node:cluster';
import { createRequire } from 'node:module';
import { announceReady, exitIfPortInUse, holdLifeline, readServerEnv, urlOf } from '@cluster-course/shared';
import type { StartOptions } from 'pm2';
import { DEFAULT_PORT, PORT_IN_USE_EXIT } from './config.ts';
import { privateHome, removeHome } from './home.ts';
import { type Pm2Event, startPm2 } from './pm2.ts';
import { reportSilentInstances, watchReadyMessages } from './ready-messages.ts';

const config = readServerEnv(DEFAULT_PORT); // bad values: one line, exit 2
const log = (line: string) => process.stdout.write(`[pm2 ${process.pid}] ${line}\n`);
const lessonDir = new URL('..', import.meta.url).pathname;

log(`PM2 will run ${config.workers} instance(s) in cluster mode, in this process (no daemon)`);
holdLifeline();
await exitIfPortInUse(config.host, [config.port]); // before PM2 starts anything

// ecosystem.config.cjs reads WORKERS, PORT and HOST from the environment.
Object.assign(process.env, { WORKERS: String(config.workers), PORT: String(config.port), HOST: config.host });
const require = createRequire(import.meta.url);
const [app] = (require(`${lessonDir}ecosystem.config.cjs`) as { apps: StartOptions[] }).apps;
if (!app?.name) throw new Error('ecosystem.config.cjs has no app');
const name = app.name;

const home = privateHome();
log(`PM2_HOME=${home}`);
// PM2 runs here, without a daemon: its God forks the instances with
// node:cluster in this process. An instance that ends while God answers it
// (a stop meeting a restart) is an EPIPE 'error' on its Worker, which PM2
// does not handle (Unitech/pm2#5168): without this listener it kills us.
cluster.on('fork', (worker) =>
  worker.on('error', (err) => log(`instance (pid ${worker.process.pid}): ${err.message}`)),
);
const readySent = watchReadyMessages(log); // wait_ready's handshake, as PM2 gets it
const pm2 = await startPm2(home);
let stopping = false;
let port = config.port;

// What the instances print, and what PM2 does, comes back on PM2's bus.
const bus = await pm2.bus();
const who = (e: Pm2Event) => `[instance ${e.process.pm_id}]`;
bus.on('log:out', (e) => {
  const bound = /listening on port (\d+)/.exec(e.data ?? '');
  if (bound) port = Number(bound[1]);
  for (const line of (e.data ?? '').trimEnd().split('\n')) process.stdout.write(`${who(e)} ${line}\n`);
});
bus.on('log:err', (e) => {
  for (const line of (e.data ?? '').trimEnd().split('\n')) process.stderr.write(`${who(e)} ${line}\n`);
});
bus.on('process:event', (e) => {
  if (e.event !== 'exit' || stopping) return;
  if (e.process.exit_code === PORT_IN_USE_EXIT) void stop('the port is taken', 1);
});

/**
 * PM2 gives its instances node_args as their whole execArgv (a cluster
 * worker would otherwise inherit its primary's). So any other --import this
 * process got (the course's test hooks: shared/src/harness/hold-worker.ts) is passed
 * on, or a test could not hold an instance as it starts.
 */
function nodeArgs(options: StartOptions): string[] {
  const own = [options.node_args ?? []].flat();
  const hooks = process.execArgv.flatMap((arg, i, all) =>
    all[i - 1] === '--import' && arg !== 'tsx' ? ['--import', arg] : [],
  );
  return [...own, ...hooks];
}

async function stop(reason: string, code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  log(`${reason}: pm2 delete ${name} (each instance gets SIGINT and drains)`);
  await pm2.delete(name).catch(() => {});
  await endLeftInstances();
  removeHome(home);
  log(`stopped; exit code ${code}`);
  process.exit(code);
}

/**
 * PM2 7.0.4 can start an instance again during its own delete: an instance
 * stopped before it said it was ready has its start concluded on its exit
 * by the ready callback (lib/God.js, executeApp's cluExit), which marks it
 * online, overwriting "stopping"; handleExit then sees a crash and restarts
 * it (seen: a stop meeting an instance still starting). Whatever is left,
 * or forked from now on, is killed here before we exit; otherwise it
 * outlives us, and one forked just before our exit dies of write EPIPE on
 * its first message to us, with a stack trace.
 */
async function endLeftInstances(): Promise<void> {
  cluster.on('fork', (worker) => worker.process.kill('SIGKILL'));
  const left = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead());
  if (left.length === 0) return;
  log(`PM2 started instance(s) again during the delete (pid ${left.map((w) => w.process.pid).join(', ')}): killed`);
  await Promise.all(
    left.map(
      (worker) =>
        new Promise((resolve) => {
          worker.once('exit', resolve); // not events.once: it rejects on the Worker's 'error'
          worker.process.kill('SIGKILL');
        }),
    ),
  );
}

process.on('SIGINT', () => void stop('SIGINT', 0));
process.on('SIGTERM', () => void stop('SIGTERM', 0));

let reloading = false;
process.on('SIGHUP', async () => {
  if (reloading || stopping) return log('SIGHUP: a reload or a stop is already under way; ignored');
  reloading = true;
  const before = (await pm2.list()).map((p) => p.pid);
  log(`SIGHUP: pm2 reload ${name} (pids ${before.join(', ')})`);
  await pm2.reload(name);
  const after = (await pm2.list()).map((p) => p.pid);
  log(`reload done: pids ${before.join(', ')} replaced by ${after.join(', ')}`);
  reloading = false;
});

await pm2.start({ ...app, cwd: lessonDir, instances: config.workers, node_args: nodeArgs(app) });
if (!stopping) {
  reportSilentInstances(readySent, config.workers, log);
  announceReady(urlOf('http', config.host, port), `${config.workers} instance(s) under PM2 cluster mode`);
}
