// One run of the test suite as a child process, as `pnpm soak` and
// `pnpm matrix` make it: vitest under a given Node.js binary, in a process
// group of its own (so one kill reaches it and its workers), its output in a
// log file, its results in a JSON report, stopped if it runs too long. The
// lessons the tests start run in groups of their own; they stop by
// themselves when the test worker that holds their lifeline dies.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { closeSync, type Dirent, existsSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { courseRoot } from '../harness/lessons.ts';
import { processTable } from '../harness/proc.ts';
import { closestReadies, READY_LOG_ENV, type ReadyTime } from '../harness/ready-log.ts';
import { ownerAlive } from '../runtime/state-dir.ts';

/** The parts of vitest's JSON report we read. */
export interface Report {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: {
    name: string;
    startTime: number;
    endTime: number;
    assertionResults: { fullName: string; status: string; failureMessages?: string[] }[];
  }[];
}

export interface SuiteRun {
  /** vitest's exit code; null when it was stopped (too long, or interrupted). */
  code: number | null;
  report: Report | undefined;
  seconds: number;
  /** What went wrong, one line each: failed tests, no report, processes left. Empty when green. */
  problems: string[];
  /** The starts that used the largest share of their ready wait (harness/ready-log.ts), closest first. */
  closest: ReadyTime[];
}

export interface SuiteOptions {
  /** The Node.js binary that runs vitest; its folder also goes first on PATH. Default: ours. */
  node?: string;
  /** Arguments after `vitest run` (files, -t, ...). */
  args?: string[];
  /** Where the run's output goes; the JSON report is written next to it (`.json`). */
  log: string;
  /** A run still going after this long is stopped and counted as failed. */
  minutes: number;
  /** Called with each line of vitest's output, as it comes. */
  onLine?: (line: string) => void;
}

const vitest = join(courseRoot, 'node_modules/vitest/vitest.mjs');
let current: ChildProcess | undefined;

/** SIGKILL the run in progress, if any (its whole group). For Ctrl-C and exit handlers. */
export function stopCurrentRun(): void {
  if (current?.pid) killGroup(current.pid);
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {} // already gone
}

/**
 * Processes whose environment holds `entry` (`NAME=value`). A run marks
 * everything it starts this way: lessons, their workers, PM2's instances and
 * nginx all inherit the variable, and nothing else has it, so a run inside
 * another (the runner's tests run pnpm matrix) counts only its own.
 */
export function processesWith(entry: string): number[] {
  if (!existsSync('/proc')) return [];
  const found: number[] = [];
  for (const { pid, state } of processTable()) {
    if (state === 'Z') continue;
    try {
      if (readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(entry)) found.push(pid);
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/** Run the suite once; resolves when vitest has exited and its report is read. */
export async function runSuite(options: SuiteOptions): Promise<SuiteRun> {
  const node = options.node ?? process.execPath;
  const json = options.log.replace(/(\.log)?$/, '.json');
  const marker = `CLUSTER_COURSE_RUN=${process.pid}-${randomUUID()}`;
  const out = openSync(options.log, 'w');
  const started = Date.now();
  // Every process the tests start runs on `node`: the harness and the
  // runner spawn process.execPath, and a tool that looks `node` up on PATH
  // (a script's #!/usr/bin/env node) finds it first too.
  const [markerName = '', markerValue = ''] = marker.split('=');
  const readyLog = options.log.replace(/(\.log)?$/, '.ready');
  closeSync(openSync(readyLog, 'w')); // this run's starts only
  const env = {
    ...process.env,
    NO_COLOR: '1',
    PATH: `${dirname(node)}:${process.env.PATH ?? ''}`,
    [markerName]: markerValue,
    [READY_LOG_ENV]: readyLog,
  };
  const child = spawn(
    node,
    [vitest, 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${json}`, ...(options.args ?? [])],
    { cwd: courseRoot, stdio: ['ignore', 'pipe', out], detached: true, env },
  );
  current = child;
  let partial = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    // The log gets every byte; the listener gets whole lines.
    writeSync(out, chunk);
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) options.onLine?.(line);
  });
  const timer = setTimeout(() => child.pid && killGroup(child.pid), options.minutes * 60_000);
  // 'close', not 'exit': the last of its output may still be in the pipe at 'exit'.
  const [code] = (await once(child, 'close')) as [number | null];
  clearTimeout(timer);
  if (partial) options.onLine?.(partial);
  closeSync(out);
  current = undefined;
  const seconds = (Date.now() - started) / 1000;

  const problems: string[] = [];
  let report: Report | undefined;
  try {
    report = JSON.parse(readFileSync(json, 'utf8')) as Report;
  } catch {
    problems.push(code === null ? `stopped after ${options.minutes} min` : `no report (exit ${code})`);
  }
  for (const file of report?.testResults ?? []) {
    for (const test of file.assertionResults.filter((t) => t.status === 'failed')) {
      // With the first lines of why (the assertion and the lesson's output it
      // carries): a CI log that keeps only this summary still says what broke.
      const why = stripVTControlCharacters(test.failureMessages?.[0] ?? '')
        .split('\n')
        .filter((line) => line.trim() && !/^\s+at /.test(line))
        .slice(0, 16)
        .map((line) => `\n        ${line}`)
        .join('');
      problems.push(`${file.name.replace(courseRoot, '')} > ${test.fullName}${why}`);
    }
  }
  if (report && report.numFailedTests === 0 && code !== 0) problems.push(`vitest exited ${code}`);
  if (report && report.numPassedTests === 0) problems.push('no test ran');
  // Lessons stop themselves once the test worker holding their lifeline is
  // gone (a run stopped for taking too long): give them the contract's 5 s.
  let left = processesWith(marker);
  for (let waited = 0; left.length && waited < 5_000; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    left = processesWith(marker);
  }
  if (left.length) problems.push(`left running: pids ${left.join(', ')}`);
  // A cgroup is left behind when its lesson is gone: its janitor removes it a
  // moment later (give it the same 5 s). One whose lesson still runs is that
  // lesson's: this run's would be "left running" above; another run's (a
  // suite beside this one, as tests/runner.test.ts runs one inside a soak,
  // next to lesson 15's tests) is not this run's to judge.
  let cgroups = orphanCgroups();
  for (let waited = 0; cgroups.length && waited < 5_000; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    cgroups = orphanCgroups();
  }
  if (cgroups.length) problems.push(`cgroups left: ${cgroups.join(', ')}`);
  return { code, report, seconds, problems, closest: closestReadies(readyLog) };
}

/** Lesson 15's cgroups whose lesson (the pid in the name) is gone. */
function orphanCgroups(): string[] {
  return lessonCgroups().filter((dir) => !ownerAlive(Number(/-(\d+)$/.exec(dir)?.[1])));
}

/** Lesson 15's cgroups (`cluster-course-15-*`) anywhere under /sys/fs/cgroup: none may outlive a run. */
function lessonCgroups(dir = '/sys/fs/cgroup', depth = 0): string[] {
  if (depth > 6) return [];
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return []; // no cgroup tree here (macOS), or no right to read it
  }
  return entries
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) =>
      entry.name.startsWith('cluster-course-15-')
        ? [join(dir, entry.name)]
        : lessonCgroups(join(dir, entry.name), depth + 1),
    );
}
