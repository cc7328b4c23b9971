// What NOT to do, measured: the one-line respawn `cluster.on('exit', () =>
// cluster.fork())` with a worker that fails while starting. Every exit forks
// a new process at once, which fails at once: a loop that never waits, each
// turn a whole Node.js start-up. This script runs that loop for NAIVE_MS
// (default 3000), or until NAIVE_MAX_FORKS forks (default: no limit), and
// then stops it, so it is safe to try.
import cluster from 'node:cluster';
import { availableParallelism, cpus } from 'node:os';
import { intEnv } from '@cluster-course/shared';

if (cluster.isWorker) {
  // A worker that fails while starting: a bad config, a missing module...
  throw new Error('failing while starting');
}

const durationMs = intEnv('NAIVE_MS', 3_000, 100, 60_000);
const maxForks = intEnv('NAIVE_MAX_FORKS', Number.MAX_SAFE_INTEGER, 1, Number.MAX_SAFE_INTEGER);
const idle = () => cpus().reduce((sum, cpu) => sum + cpu.times.idle, 0);
const total = () => cpus().reduce((sum, cpu) => sum + Object.values(cpu.times).reduce((a, b) => a + b, 0), 0);

// Keep the workers' stack traces out of the way: we only count them.
cluster.setupPrimary({ silent: true });
let forks = 0;
let stopping = false;
const fork = () => {
  forks += 1;
  cluster.fork();
};

// The naive policy, exactly as often written:
cluster.on('exit', () => {
  if (!stopping) fork();
  if (forks >= maxForks) stop();
});

const [idle0, total0] = [idle(), total()];
const started = Date.now();
// One worker per core, as usual; each one's exit forks the next.
for (let i = 0; i < availableParallelism(); i++) fork();

const timer = setTimeout(stop, durationMs);
function stop(): void {
  if (stopping) return;
  stopping = true;
  clearTimeout(timer);
  const busy = 1 - (idle() - idle0) / (total() - total0);
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `naive respawn: forked ${forks} workers in ${seconds.toFixed(1)} s (${(forks / seconds).toFixed(1)} per second)`,
  );
  console.log(`CPU busy meanwhile: ${Math.round(busy * 100)}% of ${cpus().length} cores, serving nothing`);
  for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL');
}
