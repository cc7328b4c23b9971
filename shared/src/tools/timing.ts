// `pnpm timing [NN ...] [--runs N]`: how long a learner waits, per lesson, on
// the Node.js that runs it (as the matrix does: put another major first on
// PATH to time that one). Two figures, each over N runs (default 3), as the
// median and the min–max, whole processes timed from outside:
//   check   `pnpm exercise NN` on the solved exercise (src/'s files in an
//           exercise home of its own): every claim passes, so every claim runs;
//   verify  `pnpm verify NN`: the lesson's whole test file.
// And the CPU time the check took (every process of it, the lessons it
// started included), with the least wall time that CPU allows on this
// machine's cores: a check that needs 40 CPU-s cannot take less than 20 s
// on 2 cores, however its claims are arranged; only fewer or cheaper
// process starts bring that down.
// It prints a markdown table, for a README or a closing note. A lesson and
// its client share the machine's cores: run it on a quiet machine.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { courseRoot, findLesson, type Lesson, listLessons } from '../harness/lessons.ts';
import { exerciseFiles, hasExercise, writeExerciseFile } from './exercise/files.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { runs: { type: 'string', default: '3' } },
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1 || runs > 20) {
  process.stderr.write(`pnpm timing: --runs must be a whole number from 1 to 20, not "${values.runs}"\n`);
  process.exit(2);
}
const chosen = positionals.length ? positionals.map((q) => findLesson(q)) : listLessons();
if (chosen.some((lesson) => !lesson)) {
  process.stderr.write(`pnpm timing: no lesson ${positionals.join(' ')}; pnpm lessons lists them\n`);
  process.exit(2);
}

/**
 * CPU seconds (user + system) of this process's children that have ended,
 * and of their own ended children, as the kernel sums them for whoever
 * waits (cutime and cstime in /proc/self/stat, in clock ticks: proc(5)
 * says to divide by sysconf(_SC_CLK_TCK), which is 100 on Linux's common
 * architectures, this machine's included: `getconf CLK_TCK`). A process that left its parent (a daemon, a setsid'd
 * engine) is counted only if someone of ours waited for it: a floor.
 */
function childrenCpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  // After the name in parentheses: field 3 (state) onwards; cutime and cstime are fields 16 and 17.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

/** Wall seconds of one run of `args` (node with tsx), the CPU seconds it used, its exit code. */
async function timed(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ seconds: number; cpu: number; code: number | null; tail: string }> {
  const cpuBefore = childrenCpuSeconds();
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: courseRoot,
    env: { ...process.env, ...env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Kept only to say why, should the run fail.
  let output = '';
  for (const stream of [child.stdout, child.stderr])
    stream.on('data', (chunk) => {
      output = (output + chunk).slice(-20_000);
    });
  const [code] = (await once(child, 'exit')) as [number | null];
  const tail = code === 0 ? '' : output.trimEnd().split('\n').slice(-30).join('\n');
  return { seconds: (performance.now() - started) / 1000, cpu: childrenCpuSeconds() - cpuBefore, code, tail };
}

/** An exercise home holding `lesson`'s exercise solved (src/'s files). */
function solvedHome(lesson: Lesson): string {
  const home = mkdtempSync(join(tmpdir(), 'timing-'));
  writeFileSync(join(home, 'package.json'), '{ "type": "module" }\n');
  cpSync(join(lesson.dir, 'exercise'), join(home, lesson.folder), { recursive: true });
  for (const file of exerciseFiles(lesson)) {
    writeExerciseFile(join(home, lesson.folder), file, readFileSync(join(lesson.dir, 'src', file), 'utf8'));
  }
  return home;
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
}

function figure(seconds: number[]): string {
  const sorted = [...seconds].sort((a, b) => a - b);
  return `${median(seconds).toFixed(1)} s (${sorted[0]?.toFixed(1)}–${sorted.at(-1)?.toFixed(1)})`;
}

const cores = availableParallelism();
process.stdout.write(
  `Node.js ${process.version}, ${cores} CPUs, ${runs} run(s) each: median (min–max)\n\n` +
    '| lesson | passing check (`pnpm exercise NN`) | `pnpm verify NN` | CPU of the check | least wall time for that CPU |\n' +
    '| --- | --- | --- | --- | --- |\n',
);
const failed: string[] = [];
for (const lesson of chosen as Lesson[]) {
  const check: number[] = [];
  const checkCpu: number[] = [];
  const verify: number[] = [];
  for (let i = 0; i < runs; i++) {
    if (hasExercise(lesson)) {
      const home = solvedHome(lesson);
      try {
        const run = await timed(['shared/src/tools/exercise/cli.ts', lesson.number], {
          CLUSTER_COURSE_EXERCISE_HOME: home,
        });
        if (run.code !== 0)
          failed.push(`pnpm exercise ${lesson.number} (solved), run ${i + 1}: exit ${run.code}\n${run.tail}`);
        check.push(run.seconds);
        checkCpu.push(run.cpu);
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    }
    const run = await timed(['shared/src/tools/cli.ts', 'verify', lesson.number]);
    if (run.code !== 0) failed.push(`pnpm verify ${lesson.number}, run ${i + 1}: exit ${run.code}\n${run.tail}`);
    verify.push(run.seconds);
  }
  const cpu = median(checkCpu);
  const row = check.length
    ? `| ${lesson.number} | ${figure(check)} | ${figure(verify)} | ${cpu.toFixed(1)} CPU-s | ${(cpu / cores).toFixed(1)} s |`
    : `| ${lesson.number} | (no exercise) | ${figure(verify)} | | |`;
  process.stdout.write(`${row}\n`);
}
if (failed.length > 0) {
  process.stdout.write(`\n${failed.length} run(s) did not pass, and their times say little:\n`);
  for (const line of failed) process.stdout.write(`  ${line}\n`);
}
process.exit(failed.length > 0 ? 1 : 0);
