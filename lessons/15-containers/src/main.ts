// Lesson 15: the cluster in a container, on the kernel's own mechanisms.
// This file is a container runtime in small: what `docker run --cpus=CPUS
// --memory=MEMORY [--init]` does before the app's first line runs, and what
// `docker stop` does after its last. No Docker is needed: Docker and
// Kubernetes use these same kernel mechanisms underneath.
//   1. make a cgroup beneath ours with the limits, and read them back
//      (src/cgroup/make.ts);
//   2. start the janitor that removes it whatever happens to this process,
//      `kill -9` included (src/cgroup/janitor.ts);
//   3. start the app (src/app/main.ts, a clustered HTTP server) inside it: a
//      shell joins the cgroup, then execs the app, so the app's very first
//      instruction already runs under the limits; with PID1=1 as PID 1 of a new
//      PID namespace, with INIT=1 behind tini (src/pid1.ts);
//   4. SIGINT/SIGTERM: docker stop's sequence (src/stop.ts), then exit 0.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { holdLifeline } from '@cluster-course/shared';
import { ownerAlive } from '@cluster-course/shared/runtime/state-dir';
import { findSystemBinary } from '@cluster-course/shared/runtime/system-binary';
import { emptyAndRemove, startJanitor } from './cgroup/janitor.ts';
import { cgroupDirs, type LessonCgroup, makeCgroup, NoCgroupRights, readLimits, staleCgroups } from './cgroup/make.ts';
import { readConfig } from './config.ts';
import { appCommand, findTini, missingTini } from './pid1.ts';
import { runtimeStop } from './stop.ts';

const config = readConfig(); // a bad value: one line, exit 2
const log = (line: string) => process.stdout.write(`[runtime ${process.pid}] ${line}\n`);
function cannot(line: string): never {
  process.stderr.write(`${line}\n`);
  process.exit(2);
}

if (process.platform !== 'linux') {
  cannot(
    'lesson 15 needs Linux (cgroups, PID namespaces): elsewhere, run it in a Linux VM or in Docker (README: "Run it")',
  );
}
const tini = config.init ? findTini() : undefined;
if (config.init && !tini) cannot(missingTini());
if (config.pid1 && (process.getuid?.() !== 0 || !findSystemBinary(['unshare'], undefined))) {
  cannot('PID1=1 needs root and unshare (util-linux) to make a PID namespace: run the lesson as root');
}
const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;
const runtime = runtimeStop({ log, graceMs: config.graceMs, pid1: config.pid1 }); // SIGINT, SIGTERM
holdLifeline(); // started by the course's harness: its end is our SIGTERM
log(
  `a container: CPUS=${config.cpus}, MEMORY=${mib(config.memory)}${config.pid1 ? ', PID1' : ''}${config.init ? ', INIT (tini)' : ''}`,
);

// Step 1. A lesson killed before its janitor ran (none should be) left its cgroup: remove it.
for (const dir of staleCgroups(ownerAlive)) await emptyAndRemove([dir]);
if (runtime.stopping) await new Promise(() => {}); // a stop came meanwhile: it exits
let cgroup: LessonCgroup;
try {
  cgroup = makeCgroup(config.cpus, config.memory);
} catch (err) {
  if (!(err instanceof NoCgroupRights)) throw err;
  cannot(
    `lesson 15 needs the right to make cgroups, and ${err.message}: run it as root (sudo -E env "PATH=$PATH" pnpm lesson 15), ` +
      'or in a delegated cgroup v2 subtree (systemd-run --user --scope -p Delegate=yes pnpm lesson 15)',
  );
}
const dirs = cgroupDirs(cgroup);
// Step 2. From here on, nothing of ours outlives us (made and watched in one
// synchronous run: no signal handler can run between the two).
runtime.made(dirs, startJanitor(dirs));
const limits = readLimits(cgroup);
log(`cgroup v${cgroup.version}: ${dirs.join(' and ')}`);
log(`limits, read back: ${limits.files}`);

// Step 3. Join, then exec: the shell writes its own pid into every cgroup.procs
// (a process's children are born in its cgroup), then becomes the app.
const JOIN = 'for dir in $CGROUP_DIRS; do echo $$ > "$dir/cgroup.procs" || exit 125; done; exec "$@"';
const appMain = fileURLToPath(new URL('./app/main.ts', import.meta.url));
// process.execArgv: `--import tsx`, and any test hook the lesson was given.
const command = appCommand([process.execPath, ...process.execArgv, appMain], config.pid1, tini);
const app = spawn('/bin/sh', ['-c', JOIN, 'sh', ...command], {
  stdio: ['pipe', 'inherit', 'inherit'],
  env: { ...process.env, CGROUP_DIRS: dirs.join(' '), CLUSTER_COURSE_LIFELINE: '1' },
});
app.stdin?.on('error', () => {}); // the app's lifeline: never written to
runtime.started(app);
