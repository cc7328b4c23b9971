// `pnpm bench`: every available target, both routes, measured with
// autocannon: a warm-up, then a fixed duration with fixed connections.
// Prints a table, a bar chart and the machine; writes bench/results.json and
// bench/results.md.
//
//   pnpm bench [--duration 5] [--warmup 1] [--connections 16] [--workers N]
//              [--route all|hello|cpu] [--cpu-ms 20] [--targets single,cluster,...]
//              [--out bench] [--quick]
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { startLesson } from '@cluster-course/shared/harness';
import { fresh } from '@cluster-course/shared/harness/http';
import autocannon from 'autocannon';
import { readBenchOptions } from './bench-options.ts';
import { barChart, markdown, type Row, table } from './report.ts';

const lessonDir = new URL('..', import.meta.url).pathname;
const { options, routes, targets, unavailable } = readBenchOptions(process.argv.slice(2));

const machine = {
  cores: availableParallelism(),
  cpu: cpus()[0]?.model.trim() ?? 'unknown',
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
};

/** One autocannon run, with a progress line on a terminal. */
function load(url: string, seconds: number, label: string): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    let done = 0;
    const started = Date.now();
    const instance = autocannon({ url, connections: options.connections, duration: seconds }, (err, result) => {
      clearInterval(ticker);
      if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
      if (err) reject(err);
      else resolve(result);
    });
    instance.on('response', () => {
      done += 1;
    });
    const ticker = setInterval(() => {
      if (!process.stderr.isTTY) return;
      const elapsed = (Date.now() - started) / 1000;
      process.stderr.write(`\r\x1b[K  ${label}  ${elapsed.toFixed(1)} / ${seconds} s  ${done} requests`);
    }, 200);
  });
}

const say = (text = '') => process.stdout.write(`${text}\n`);
say(`Benchmark: ${targets.join(', ')} × ${routes.map((r) => r.name).join(', ')}`);
say(
  `${options.duration} s each after a ${options.warmup} s warm-up, ${options.connections} keep-alive connections, ` +
    `${options.workers} workers, /cpu burns ${options.cpuMs} ms per request`,
);
say(`Machine: ${machine.cores} cores (${machine.cpu}), Node.js ${machine.node}, ${machine.platform}`);
say('The load generator (autocannon, in this process) shares those cores with the target.');
for (const t of unavailable) say(`(${t}: unavailable on Node.js ${process.version}; needs 22.12+ or 23.1+)`);
say();

const rows: Row[] = [];
for (const target of targets) {
  const lesson = await startLesson(lessonDir, {
    env: { TARGET: target, PORT: '0', WORKERS: String(options.workers), HOST: '127.0.0.1' },
  });
  try {
    for (const route of routes) {
      const url = new URL(route.path, lesson.url).href;
      const check = await fresh(url);
      if (check.status !== 200) throw new Error(`${target} ${route.path} answered ${check.status}`);
      if (options.warmup > 0) await load(url, options.warmup, `${target} ${route.name} warm-up`);
      const result = await load(url, options.duration, `${target} ${route.name}`);
      const row: Row = {
        target,
        route: route.name,
        rps: result.requests.total / result.duration,
        p50: result.latency.p50,
        p99: result.latency.p99,
        errors: result.errors + result.timeouts + result.non2xx,
        ratio: null,
      };
      rows.push(row);
      say(`  measured ${target.padEnd(9)} ${route.name.padEnd(6)} ${Math.round(row.rps)} req/s`);
    }
  } finally {
    await lesson.stop('SIGTERM');
    await lesson.dispose();
  }
}

// The ratio to `single` on the same route: how much the extra processes bought.
for (const row of rows) {
  const base = rows.find((r) => r.target === 'single' && r.route === row.route);
  row.ratio = base && base.rps > 0 ? row.rps / base.rps : null;
}

say();
for (const line of table(rows)) say(line);
say();
for (const line of barChart(rows)) say(line);

mkdirSync(options.out, { recursive: true });
const report = { date: new Date().toISOString(), machine, options: { ...options, routes, targets, unavailable }, rows };
writeFileSync(join(options.out, 'results.json'), `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(join(options.out, 'results.md'), markdown(report));
say(`\nwrote ${join(options.out, 'results.json')} and ${join(options.out, 'results.md')}`);
