// pnpm soak [N] [--busy] [--run-minutes M] [-- vitest args]: runs the test
// suite (or what the vitest args select) N times in a row, default 10, and
// says which tests failed in any run. One green run proves little on a
// 2-core machine; a flaky test is a bug, and this finds it.
//   --busy           one CPU hog per core alongside, as on a loaded machine
//   --run-minutes M  a run still going after M minutes (default 10) is
//                    stopped and counted as failed, so a soak always ends
// A run that leaves a process of this checkout running fails. Exit code 0
// only when every run was green.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, openSync, readFileSync, readlinkSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { courseRoot } from './lessons.ts';
import { processTable } from './proc.ts';

const dash = process.argv.indexOf('--', 2);
const own = dash === -1 ? process.argv.slice(2) : process.argv.slice(2, dash);
const { values, positionals } = parseArgs({
  args: own,
  allowPositionals: true,
  options: { busy: { type: 'boolean', default: false }, 'run-minutes': { type: 'string', default: '10' } },
});
const [first, ...files] = positionals;
const runs = first === undefined ? 10 : Number(first);
const runMinutes = Number(values['run-minutes']);
if (!Number.isInteger(runs) || runs < 1 || runs > 1000 || !(runMinutes > 0)) {
  process.stderr.write('usage: pnpm soak [N (1-1000)] [--busy] [--run-minutes M] [-- vitest args]\n');
  process.exit(2);
}
const vitestArgs = [...files, ...(dash === -1 ? [] : process.argv.slice(dash + 1))];
const logs = mkdtempSync(join(tmpdir(), 'soak-'));

// A hog burns one core and ends by itself as soon as its parent (we) is gone.
const hogCode =
  'const p=process.ppid;for(;;){const t=Date.now()+100;while(Date.now()<t);if(process.ppid!==p)process.exit()}';
const hogs: ChildProcess[] = values.busy
  ? Array.from({ length: availableParallelism() }, () => spawn(process.execPath, ['-e', hogCode], { stdio: 'ignore' }))
  : [];
let current: ChildProcess | undefined;
const cleanUp = () => {
  for (const hog of hogs) hog.kill('SIGKILL');
  if (current?.pid) killGroup(current.pid);
};
process.on('exit', cleanUp);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    cleanUp();
    process.exit(130);
  });
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {} // already gone
}

/** Processes started from this checkout (cwd inside it) with Node's tsx loader. */
function checkoutProcesses(): Set<number> {
  const found = new Set<number>();
  for (const { pid } of processTable()) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmd.includes('--import\0tsx') && readlinkSync(`/proc/${pid}/cwd`).startsWith(courseRoot.replace(/\/$/, '')))
        found.add(pid);
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

interface Report {
  numPassedTests: number;
  numFailedTests: number;
  testResults: { name: string; assertionResults: { fullName: string; status: string }[] }[];
}

const before = existsSync('/proc') ? checkoutProcesses() : new Set<number>();
const failures = new Map<string, number>();
let green = 0;
let passed = 0;
let failed = 0;
const started = Date.now();
const vitest = join(courseRoot, 'node_modules/vitest/vitest.mjs');
const what = `${vitestArgs.length ? vitestArgs.join(' ') : 'the whole suite'}${values.busy ? `, with ${hogs.length} CPU hogs` : ''}`;
process.stdout.write(`soak: ${runs} runs of ${what}; logs in ${logs}\n`);

for (let run = 1; run <= runs; run++) {
  const json = join(logs, `run-${run}.json`);
  const log = join(logs, `run-${run}.log`);
  const out = openSync(log, 'w');
  const runStarted = Date.now();
  current = spawn(
    process.execPath,
    [vitest, 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${json}`, ...vitestArgs],
    { cwd: courseRoot, stdio: ['ignore', out, out], detached: true, env: { ...process.env, NO_COLOR: '1' } },
  );
  const timer = setTimeout(() => current?.pid && killGroup(current.pid), runMinutes * 60_000);
  const [code] = (await once(current, 'exit')) as [number | null];
  clearTimeout(timer);
  current = undefined;
  const seconds = ((Date.now() - runStarted) / 1000).toFixed(1);

  const problems: string[] = [];
  let report: Report | undefined;
  try {
    report = JSON.parse(readFileSync(json, 'utf8')) as Report;
  } catch {
    problems.push(code === null ? `stopped after ${runMinutes} min` : `no report (exit ${code})`);
  }
  for (const file of report?.testResults ?? []) {
    for (const test of file.assertionResults.filter((t) => t.status === 'failed')) {
      problems.push(`${file.name.replace(courseRoot, '')} > ${test.fullName}`);
    }
  }
  if (report && report.numFailedTests === 0 && code !== 0) problems.push(`vitest exited ${code}`);
  const left = [...(existsSync('/proc') ? checkoutProcesses() : [])].filter((pid) => !before.has(pid));
  if (left.length) problems.push(`left running: pids ${left.join(', ')}`);
  for (const problem of problems) {
    const name = problem.startsWith('left running') ? 'processes left running after a run' : problem;
    failures.set(name, (failures.get(name) ?? 0) + 1);
  }
  passed += report?.numPassedTests ?? 0;
  failed += report?.numFailedTests ?? 0;
  if (problems.length === 0) green += 1;
  const counts = report ? `${report.numPassedTests} passed, ${report.numFailedTests} failed` : 'no counts';
  const verdict = problems.length === 0 ? 'green' : `RED (${log})`;
  process.stdout.write(
    `run ${String(run).padStart(String(runs).length)}/${runs}: ${counts}, ${seconds} s, ${verdict}\n`,
  );
  for (const problem of problems) process.stdout.write(`    ${problem}\n`);
}

const minutes = ((Date.now() - started) / 60_000).toFixed(1);
process.stdout.write(
  `soak summary: ${green}/${runs} runs green${values.busy ? ' (busy)' : ''}; ${passed} passed, ${failed} failed; ${minutes} min\n`,
);
if (failures.size) {
  process.stdout.write('failed at least once:\n');
  for (const [name, count] of [...failures].sort((a, b) => b[1] - a[1])) {
    process.stdout.write(`  ${count}/${runs}  ${name}\n`);
  }
}
cleanUp();
process.exitCode = green === runs ? 0 : 1;
