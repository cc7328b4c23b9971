// `pnpm timing [NN ...] [--runs N]`: how long a learner waits, per lesson, on
// the Node.js that runs it (as the matrix does: put another major first on
// PATH to time that one). Two figures, each over N runs (default 3), as the
// median and the min–max, whole processes timed from outside:
//   check   `pnpm exercise NN` on the solved exercise (src/'s files in an
//           exercise home of its own): every claim passes, so every claim runs;
//   verify  `pnpm verify NN`: the lesson's whole test file.
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

/** Wall seconds of one run of `args` (node with tsx), its exit code. */
async function timed(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ seconds: number; code: number | null }> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: courseRoot,
    env: { ...process.env, ...env, NO_COLOR: '1' },
    stdio: 'ignore',
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  return { seconds: (performance.now() - started) / 1000, code };
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

function figure(seconds: number[]): string {
  const sorted = [...seconds].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  return `${median.toFixed(1)} s (${sorted[0]?.toFixed(1)}–${sorted.at(-1)?.toFixed(1)})`;
}

process.stdout.write(
  `Node.js ${process.version}, ${availableParallelism()} CPUs, ${runs} run(s) each: median (min–max)\n\n` +
    '| lesson | passing check (`pnpm exercise NN`) | `pnpm verify NN` |\n| --- | --- | --- |\n',
);
let failed = 0;
for (const lesson of chosen as Lesson[]) {
  const check: number[] = [];
  const verify: number[] = [];
  for (let i = 0; i < runs; i++) {
    if (hasExercise(lesson)) {
      const home = solvedHome(lesson);
      try {
        const run = await timed(['shared/src/tools/exercise/cli.ts', lesson.number], {
          CLUSTER_COURSE_EXERCISE_HOME: home,
        });
        if (run.code !== 0) failed += 1;
        check.push(run.seconds);
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    }
    const run = await timed(['shared/src/tools/cli.ts', 'verify', lesson.number]);
    if (run.code !== 0) failed += 1;
    verify.push(run.seconds);
  }
  const row = `| ${lesson.number} | ${check.length ? figure(check) : '(no exercise)'} | ${figure(verify)} |`;
  process.stdout.write(`${row}\n`);
}
if (failed > 0) process.stdout.write(`\n${failed} run(s) did not pass: their times say little (see pnpm verify NN)\n`);
process.exit(failed > 0 ? 1 : 0);
