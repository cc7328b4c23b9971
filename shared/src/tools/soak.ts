// pnpm soak [N] [--busy] [--node MAJOR] [--run-minutes M] [-- vitest args]:
// runs the test suite (or what the vitest args select) N times in a row,
// default 10, and says which tests failed in any run. One green run proves
// little on a 2-core machine; a flaky test is a bug, and this finds it.
//   --busy           one CPU hog per core alongside, as on a loaded machine
//   --node MAJOR     run on that Node.js major (installed as pnpm matrix does)
//   --run-minutes M  a run still going after M minutes is stopped and
//                    counted as failed, so a soak always ends. Default 25,
//                    or 40 with --busy: a healthy run of the whole suite on
//                    Node.js 20 takes about 15 minutes on a quiet 2-core
//                    machine (917 s), on Node.js 26 about 10
// Each run also names the starts that used the largest share of their ready
// wait (shared/src/harness/ready-log.ts): the run's margin.
// A run that leaves a process running fails (every process a run starts
// carries the run's marker variable: shared/src/tools/suite.ts). Exit code 0
// only when every run was green.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { describeReady, type ReadyTime } from '../harness/ready-log.ts';
import { type NodeBinary, nodeBinary, pathMajor } from './node-binaries.ts';
import { runSuite, stopCurrentRun } from './suite.ts';

const dash = process.argv.indexOf('--', 2);
const own = dash === -1 ? process.argv.slice(2) : process.argv.slice(2, dash);
const usage = 'usage: pnpm soak [N (1-1000)] [--busy] [--node MAJOR] [--run-minutes M] [-- vitest args]';
const { values, positionals } = (() => {
  try {
    return parseArgs({
      args: own,
      allowPositionals: true,
      options: {
        busy: { type: 'boolean', default: false },
        node: { type: 'string' },
        'run-minutes': { type: 'string' },
      },
    });
  } catch (err) {
    // An unknown option (vitest's -t, say, without the `--` before it): one line and the usage, not a stack.
    process.stderr.write(`soak: ${(err as Error).message.split('. ')[0]}\n${usage}\n`);
    process.exit(2);
  }
})();
const [first, ...files] = positionals;
const runs = first === undefined ? 10 : Number(first);
const runMinutes = Number(values['run-minutes'] ?? (values.busy ? 40 : 25));
const major = values.node === undefined ? pathMajor : Number(values.node);
if (!Number.isInteger(runs) || runs < 1 || runs > 1000 || !(runMinutes > 0) || !(major > 0)) {
  process.stderr.write(`${usage}\n`);
  process.exit(2);
}
let node: NodeBinary;
try {
  node = await nodeBinary(major, { onInstall: (what) => process.stdout.write(`soak: ${what}\n`) });
} catch (err) {
  process.stderr.write(`soak: ${(err as Error).message}\n`);
  process.exit(1);
}
const vitestArgs = [...files, ...(dash === -1 ? [] : process.argv.slice(dash + 1))];
const logs = mkdtempSync(join(tmpdir(), 'soak-'));

// A hog burns one core and ends by itself as soon as its parent (we) is gone.
const hogCode =
  'const p=process.ppid;for(;;){const t=Date.now()+100;while(Date.now()<t);if(process.ppid!==p)process.exit()}';
const hogs: ChildProcess[] = values.busy
  ? Array.from({ length: availableParallelism() }, () => spawn(process.execPath, ['-e', hogCode], { stdio: 'ignore' }))
  : [];
const cleanUp = () => {
  for (const hog of hogs) hog.kill('SIGKILL');
  stopCurrentRun();
};
process.on('exit', cleanUp);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    cleanUp();
    process.exit(130);
  });
}

const failures = new Map<string, number>();
let green = 0;
let passed = 0;
let failed = 0;
const closest: ReadyTime[] = [];
const started = Date.now();
const what = `${vitestArgs.length ? vitestArgs.join(' ') : 'the whole suite'}${values.busy ? `, with ${hogs.length} CPU hogs` : ''}`;
process.stdout.write(`soak: ${runs} runs of ${what} on Node.js ${node.version}; logs in ${logs}\n`);

for (let run = 1; run <= runs; run++) {
  const log = join(logs, `run-${run}.log`);
  const thisRun = await runSuite({ node: node.path, args: vitestArgs, log, minutes: runMinutes });
  const { report, seconds, problems } = thisRun;
  closest.push(...thisRun.closest);
  for (const problem of problems) {
    const name = problem.startsWith('left running')
      ? 'processes left running after a run'
      : (problem.split('\n')[0] ?? problem);
    failures.set(name, (failures.get(name) ?? 0) + 1);
  }
  passed += report?.numPassedTests ?? 0;
  failed += report?.numFailedTests ?? 0;
  if (problems.length === 0) green += 1;
  const counts = report ? `${report.numPassedTests} passed, ${report.numFailedTests} failed` : 'no counts';
  const verdict = problems.length === 0 ? 'green' : `RED (${log})`;
  process.stdout.write(
    `run ${String(run).padStart(String(runs).length)}/${runs}: ${counts}, ${seconds.toFixed(1)} s, ${verdict}\n`,
  );
  for (const problem of problems) process.stdout.write(`    ${problem}\n`);
  if (thisRun.closest.length)
    process.stdout.write(`    closest ready waits: ${thisRun.closest.map(describeReady).join(', ')}\n`);
}

const minutes = ((Date.now() - started) / 60_000).toFixed(1);
process.stdout.write(
  `soak summary: ${green}/${runs} runs green${values.busy ? ' (busy)' : ''} on ${node.version}; ${passed} passed, ${failed} failed; ${minutes} min\n`,
);
// A ready wait is a bound for a hang: the share of it a start used is the run's margin.
const [nearest] = closest.sort((a, b) => b.ms / b.limitMs - a.ms / a.limitMs);
if (nearest) process.stdout.write(`closest ready wait of all runs: ${describeReady(nearest)}\n`);
if (failures.size) {
  process.stdout.write('failed at least once:\n');
  for (const [name, count] of [...failures].sort((a, b) => b[1] - a[1])) {
    process.stdout.write(`  ${count}/${runs}  ${name}\n`);
  }
}
cleanUp();
process.exitCode = green === runs ? 0 : 1;
