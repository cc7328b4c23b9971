// `pnpm exercise`: the exercises, rustlings-style.
//
//   pnpm exercise                  the exercises and their state
//   pnpm exercise NN               check yours with the lesson's own tests
//   pnpm exercise NN --watch       re-check on every save, until Ctrl-C
//   pnpm exercise NN --hint        the next hint
//   pnpm exercise NN --reset       your files back as shipped (--yes to overwrite changes)
//   pnpm exercise NN --solution    the diff from your files to src/ (before it passes: asks, or --yes)
//   pnpm exercise --self-check [NN ...]   each exercise fails as shipped, passes solved, and its
//                                  mentor's words are said (--skip-mentor: not those;
//                                  --shipped-only: only the first, see self-check.ts) (CI)
import { parseArgs } from 'node:util';
import { findLesson, type Lesson, listLessons } from '../../harness/lessons.ts';
import { checkExercise } from './check.ts';
import {
  changedFiles,
  exerciseDir,
  hasExercise,
  hints,
  lastCheckOf,
  readState,
  resetFiles,
  writeState,
} from './files.ts';
import { loadMentor } from './mentor.ts';
import { readMistakes } from './mistakes/read.ts';
import { printProgress } from './progress.ts';
import { confirm, printReading, printVerdict, solutionDiff } from './report.ts';
import { selfCheck } from './self-check.ts';
import { watch } from './watch.ts';

function usage(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

let parsed: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    allowPositionals: true,
    options: {
      watch: { type: 'boolean' },
      hint: { type: 'boolean' },
      reset: { type: 'boolean' },
      solution: { type: 'boolean' },
      yes: { type: 'boolean' },
      'self-check': { type: 'boolean' },
      'skip-mentor': { type: 'boolean' },
      'shipped-only': { type: 'boolean' },
    },
  });
}
try {
  parsed = parse();
} catch (err) {
  usage(`pnpm exercise: ${err instanceof Error ? err.message : String(err)}`);
}
const { values, positionals } = parsed;
const exercises = listLessons().filter(hasExercise);

async function check(lesson: Lesson): Promise<number> {
  process.stdout.write(`Checking exercise ${lesson.number} (${lesson.title})...\n`);
  const started = Date.now();
  // First what a mentor sees in the files (under a second), then the claims.
  const [reading, mentor] = await Promise.all([readMistakes(lesson, exerciseDir(lesson)), loadMentor(lesson)]);
  printReading(reading);
  const result = await checkExercise(lesson);
  printVerdict(lesson, result, mentor);
  process.stdout.write(`(checked in ${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  writeState(lesson, { ...readState(lesson), lastCheck: lastCheckOf(result) });
  return result.passed ? 0 : 1;
}

function hint(lesson: Lesson): number {
  const all = hints(lesson);
  const state = readState(lesson);
  const index = Math.min(state.hintsShown, all.length - 1);
  if (index < 0) usage(`exercise ${lesson.number} has no hints`);
  process.stdout.write(all[index] ?? '');
  const left = all.length - index - 1;
  process.stdout.write(
    left > 0
      ? `\n(${left} more: pnpm exercise ${lesson.number} --hint again)\n`
      : `\n(That was the last hint. The answer: pnpm exercise ${lesson.number} --solution)\n`,
  );
  writeState(lesson, { ...state, hintsShown: index + 1 });
  return 0;
}

async function reset(lesson: Lesson): Promise<number> {
  const changed = changedFiles(lesson);
  if (changed.length === 0) {
    process.stdout.write(`exercise ${lesson.number} is already as shipped\n`);
    return 0;
  }
  const question = `overwrite your changes to ${changed.map((f) => `exercise/${f}`).join(', ')}?`;
  if (!(await confirm(question, values.yes ?? false))) return 1;
  resetFiles(lesson);
  writeState(lesson, { hintsShown: 0 });
  process.stdout.write(`exercise ${lesson.number} is back as shipped: ${changed.join(', ')}\n`);
  return 0;
}

async function solution(lesson: Lesson): Promise<number> {
  // Once it passes, the course's version is there to compare with, freely.
  // Before, it would end the exercise: say how far the last check got, and ask.
  const last = readState(lesson).lastCheck;
  if (!last?.passed) {
    process.stdout.write(
      last?.claims
        ? `Your last check passed ${last.claimsPassed} of ${last.claims} claims before it stopped at a failure.\n`
        : `You have not checked exercise ${lesson.number} yet: pnpm exercise ${lesson.number}\n`,
    );
    if (!(await confirm('show the solution anyway?', values.yes ?? false))) return 1;
  }
  process.stdout.write(solutionDiff(lesson));
  return 0;
}

if (values['self-check']) {
  const only = positionals.map((q) => findLesson(q)?.folder);
  const chosen = exercises.filter((l) => only.length === 0 || only.includes(l.folder));
  const shippedOnly = values['shipped-only'] ?? false;
  process.exit(await selfCheck(chosen, !values['skip-mentor'] && !shippedOnly, only.length === 0, !shippedOnly));
}
if (positionals.length === 0) process.exit(printProgress(exercises));
const lesson = findLesson(positionals[0] ?? '');
if (!lesson || !hasExercise(lesson)) {
  usage(`no exercise "${positionals[0]}": pnpm exercise takes one of ${exercises.map((l) => l.number).join(', ')}`);
}
if (values.hint) process.exit(hint(lesson));
if (values.reset) process.exit(await reset(lesson));
if (values.solution) process.exit(await solution(lesson));
if (values.watch) process.exit(await watch(lesson));
process.exit(await check(lesson));
