// Demo of lesson 10: the same load against each MODE, side by side.
//   WORKERS (default 2): threads in the pool, or processes in the cluster
import { intEnv } from '@cluster-course/shared';
import { startLesson } from '@cluster-course/shared/harness';
import { fresh } from '@cluster-course/shared/harness/http';
import { expect, say, step, table } from '@cluster-course/shared/harness/narrate';
import { isNodeProcess } from '@cluster-course/shared/harness/proc';
import { MODES } from '../src/config.ts';
import { calibrate } from '../src/cpu-task.ts';
import { cpuThroughput, helloBehindCpu, rssMb, startupMs } from './measure.ts';

const dir = new URL('..', import.meta.url).pathname;
const workers = intEnv('WORKERS', 2, 1, 64);
// One measure of the machine for all three modes: each does the same work per "ms".
const iterationsPerMs = String(calibrate());
const rows: { mode: string; hello: number; perSecond: number; worstHello: number; loopP99: number; rss: number }[] = [];

for (const mode of MODES) {
  const lesson = await startLesson(dir, {
    env: { PORT: '0', WORKERS: String(workers), MODE: mode, CPU_ITERATIONS_PER_MS: iterationsPerMs },
  });
  try {
    step(`MODE=${mode}: ${lesson.stdout().find((line) => line.startsWith('ready')) ?? ''}`);
    const hello = await helloBehindCpu(lesson, 200);
    say(`  GET /hello while 4 GET /cpu?ms=200 run: answered in ${hello.toFixed(0)} ms`);
    const load = await cpuThroughput(lesson.url, 24, 50, 8);
    say(`  24 GET /cpu?ms=50, 8 at a time: ${load.perSecond.toFixed(1)} per second`);
    say(`  a GET /hello every 50 ms meanwhile: the slowest took ${load.worstHelloMs.toFixed(0)} ms`);
    const stats = JSON.parse((await fresh(new URL('/stats', lesson.url))).body);
    // Node.js processes only: tsx's esbuild helper is not the lesson's. (Not
    // by name: since Node.js 24 a node process is called MainThread in ps.)
    const nodes = lesson.members().filter(isNodeProcess);
    const rss = rssMb(nodes.map((p) => p.pid));
    const processes = mode === 'cluster' ? 1 + workers : 1;
    expect(nodes.length === processes, `MODE=${mode} to run as ${processes} Node.js process(es), not ${nodes.length}`);
    say(`  event-loop delay p99 of the process that answered /stats: ${stats.eventLoopDelayMs.p99} ms`);
    say(`  memory (RSS) of the lesson's ${nodes.length} Node.js processes together: ${rss.toFixed(0)} MB`);
    rows.push({
      mode,
      hello,
      perSecond: load.perSecond,
      worstHello: load.worstHelloMs,
      loopP99: stats.eventLoopDelayMs.p99,
      rss,
    });
    expect((await lesson.stop('SIGTERM')).code === 0, `MODE=${mode} to stop with exit code 0`);
  } finally {
    await lesson.dispose();
  }
}

step(`Side by side (WORKERS=${workers}, this machine, one run)`);
table(
  ['mode', '/hello behind 4 x /cpu', '/cpu per s', 'slowest /hello under load', 'loop delay p99', 'RSS'],
  rows.map((r) => [
    r.mode,
    `${r.hello.toFixed(0)} ms`,
    r.perSecond.toFixed(1),
    `${r.worstHello.toFixed(0)} ms`,
    `${r.loopP99.toFixed(0)} ms`,
    `${r.rss.toFixed(0)} MB`,
  ]),
);
const longest = Math.max(...rows.map((r) => r.hello));
say('\n  /hello behind 4 x /cpu?ms=200:');
for (const r of rows)
  say(
    `  ${r.mode.padEnd(9)} ${'#'.repeat(Math.max(1, Math.round((r.hello / longest) * 40)))} ${r.hello.toFixed(0)} ms`,
  );

const [blocking, threads] = rows;
expect(
  Boolean(blocking && threads && blocking.hello > threads.hello),
  'blocking mode to keep /hello waiting longer than threads mode',
);

step('Starting one thread vs one process (plain node, median of 5)');
const startup = await startupMs();
say(`  new Worker() until its first message:   ${startup.thread.toFixed(1)} ms`);
say(`  a new node process (what fork() starts): ${startup.process.toFixed(1)} ms`);
say('A thread shares the process: its memory, its pid, its fate. A process shares nothing, and');
say('survives its siblings. The README weighs the two.');
