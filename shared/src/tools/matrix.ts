// pnpm matrix [majors...] [--run-minutes M] [-- vitest args]: the suite (or
// what the vitest args select) once under each Node.js major, one after the
// other, and one table: major, exact version, passed / failed / skipped,
// wall time, the slowest test file; under each major's line, the starts that
// came closest to their ready wait (the run's margin). A run still going
// after --run-minutes (default 25) is stopped and counted as failed.
// Default majors: every one the course is tested on (package.json,
// "cluster-course".node.tested) and the Node.js on PATH. Binaries come from
// the npm registry (node-binaries.ts).
//
// Every process of a run uses that major: vitest and its workers run on it,
// the harness starts lessons with process.execPath, and its folder is first
// on PATH. Exit 0 only when every major ran green. Ctrl-C stops the run in
// progress; the lessons it started stop with it (their lifeline).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { describeReady } from '../harness/ready-log.ts';
import { type NodeBinary, nodeBinary, nodeVersions, pathMajor } from './node-binaries.ts';
import { type Report, runSuite, stopCurrentRun } from './suite.ts';

const usage =
  'usage: pnpm matrix [major ...] [--run-minutes M] [-- vitest args]   e.g. pnpm matrix 22 24\n' +
  "       pnpm matrix --which MAJOR   print the path of that major's node (installed if needed)";
const dash = process.argv.indexOf('--', 2);
const own = dash === -1 ? process.argv.slice(2) : process.argv.slice(2, dash);
const vitestArgs = dash === -1 ? [] : process.argv.slice(dash + 1);
function fail(message: string): never {
  process.stderr.write(`${message}\n${usage}\n`);
  process.exit(2);
}
const parsed = (() => {
  try {
    return parseArgs({
      args: own,
      allowPositionals: true,
      options: { 'run-minutes': { type: 'string', default: '25' }, which: { type: 'string' } },
    });
  } catch (err) {
    return fail((err as Error).message);
  }
})();
const runMinutes = Number(parsed.values['run-minutes']);
const bad = parsed.positionals.find((arg) => !/^\d{1,3}$/.test(arg) || Number(arg) < 1);
if (bad !== undefined) fail(`"${bad}" is not a Node.js major`);
if (!(runMinutes > 0)) fail(`--run-minutes must be a positive number of minutes`);
// --which: for scripts that run something else on a major (CI's self-check on the recommended one).
if (parsed.values.which !== undefined) {
  if (!/^\d{1,3}$/.test(parsed.values.which)) fail(`"${parsed.values.which}" is not a Node.js major`);
  try {
    process.stdout.write(`${(await nodeBinary(Number(parsed.values.which))).path}\n`);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  }
  process.exit(0);
}
const { tested } = nodeVersions();
const asked = parsed.positionals.length ? parsed.positionals.map(Number) : [...tested, pathMajor];
const majors = [...new Set(asked)].sort((a, b) => a - b);

const stop = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    stop.abort();
    stopCurrentRun();
    process.stdout.write(`\nmatrix: stopped by ${signal}\n`);
    process.exit(130);
  });
}
process.on('exit', stopCurrentRun);

interface Row {
  major: number;
  version: string;
  report?: Report;
  seconds?: number;
  problems: string[];
}

const logs = mkdtempSync(join(tmpdir(), 'matrix-'));
const what = vitestArgs.length ? vitestArgs.join(' ') : 'the whole suite';
process.stdout.write(`matrix: ${what} under Node.js ${majors.join(', ')}; logs in ${logs}\n`);
const tty = Boolean(process.stdout.isTTY);
const started = Date.now();
const rows: Row[] = [];

for (const major of majors) {
  const note = tested.includes(major) ? '' : ` (not a tested major: the course is tested on ${tested.join(', ')})`;
  let binary: NodeBinary;
  try {
    binary = await nodeBinary(major, {
      signal: stop.signal,
      onInstall: (what) => process.stdout.write(`  ${major}: ${what}\n`),
    });
  } catch (err) {
    const line = (err as Error).message;
    process.stdout.write(`  ${major}: ${line}\n`);
    rows.push({ major, version: 'not installed', problems: [line] });
    continue;
  }
  const log = join(logs, `node-${major}.log`);
  process.stdout.write(`  ${major}: ${binary.version} (${binary.source}) running${note}; log ${log}\n`);
  let files = 0;
  let failedFiles = 0;
  const runStarted = Date.now();
  const run = await runSuite({
    node: binary.path,
    args: vitestArgs,
    log,
    minutes: runMinutes,
    // vitest's default reporter prints one line per finished file: " ✓ |project| tests/x.test.ts (…)".
    onLine: (line) => {
      const done = /^ ([✓❯×]) (\|[\w-]+\| )?tests\//.exec(line);
      if (!done) return;
      files += 1;
      if (done[1] !== '✓') failedFiles += 1;
      if (tty) {
        const seconds = ((Date.now() - runStarted) / 1000).toFixed(0);
        const failing = failedFiles ? `, ${failedFiles} with failures` : '';
        process.stdout.write(`\r  ${major}: ${files} test files done${failing}, ${seconds} s`);
      }
    },
  });
  if (tty) process.stdout.write('\r\x1b[2K');
  const { report, seconds, problems } = run;
  const counts = report ? `${report.numPassedTests} passed, ${report.numFailedTests} failed` : 'no report';
  process.stdout.write(
    `  ${major}: ${counts} in ${seconds.toFixed(0)} s, ${problems.length ? `RED (${log})` : 'green'}\n`,
  );
  for (const problem of problems.slice(0, 10)) process.stdout.write(`      ${problem}\n`);
  // The margin of the run: how much of its ready wait the slowest start used.
  if (run.closest.length)
    process.stdout.write(`      closest ready waits: ${run.closest.map(describeReady).join(', ')}\n`);
  rows.push({ major, version: binary.version, report, seconds, problems });
}

function slowest(report: Report | undefined): string {
  const files = (report?.testResults ?? []).map((f) => ({ name: f.name, ms: f.endTime - f.startTime }));
  const top = files.sort((a, b) => b.ms - a.ms)[0];
  return top ? `${top.name.replace(/^.*\/tests\//, 'tests/')} (${(top.ms / 1000).toFixed(0)} s)` : '-';
}

const table = [
  ['major', 'version', 'passed', 'failed', 'skipped', 'time', 'slowest file'],
  ...rows.map((row) => [
    String(row.major),
    row.version,
    String(row.report?.numPassedTests ?? '-'),
    String(row.report?.numFailedTests ?? '-'),
    String(row.report ? row.report.numPendingTests + row.report.numTodoTests : '-'),
    row.seconds === undefined ? '-' : `${row.seconds.toFixed(0)} s`,
    slowest(row.report),
  ]),
];
const widths = table[0]?.map((_, col) => Math.max(...table.map((cells) => cells[col]?.length ?? 0))) ?? [];
const format = (cells: string[]) => `| ${cells.map((cell, col) => cell.padEnd(widths[col] ?? 0)).join(' | ')} |`;
process.stdout.write(`\n${format(table[0] ?? [])}\n| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |\n`);
for (const cells of table.slice(1)) process.stdout.write(`${format(cells)}\n`);

const green = rows.filter((row) => row.problems.length === 0).length;
const minutes = ((Date.now() - started) / 60_000).toFixed(1);
process.stdout.write(`\nmatrix summary: ${green}/${rows.length} majors green; ${minutes} min\n`);
process.exitCode = green === rows.length ? 0 : 1;
