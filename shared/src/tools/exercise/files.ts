// An exercise's files. In lessons/NN-slug/exercise/:
//   *.ts          the learner's files, same names as in src/ (src/ is the solution),
//                 in the same subfolders where src/ has them (state/visits.ts)
//   HINTS.md      the hints, one `## Hint N` section a step
//   .pristine/    each *.ts as shipped, as <name>.orig: --reset copies them back
//                 (not git: a learner's clone may have no clean git state, or no git)
//   .state.json   progress (hints seen, the last check); ignored by git
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Lesson } from '../../harness/lessons.ts';
import type { CheckResult } from './check.ts';

/**
 * The learner's exercise folder. CLUSTER_COURSE_EXERCISE_HOME moves every
 * exercise to `<home>/<lesson folder>/` (the runner tests use copies there,
 * so they never touch a learner's work).
 */
export function exerciseDir(lesson: Lesson): string {
  const home = process.env.CLUSTER_COURSE_EXERCISE_HOME;
  return home ? join(home, lesson.folder) : join(lesson.dir, 'exercise');
}
const pristineDir = (lesson: Lesson) => join(exerciseDir(lesson), '.pristine');

export function hasExercise(lesson: Lesson): boolean {
  return existsSync(pristineDir(lesson));
}

/** The files the learner edits: the paths of the pristine copies (`primary.ts`, `state/visits.ts`). */
export function exerciseFiles(lesson: Lesson): string[] {
  return readdirSync(pristineDir(lesson), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.orig'))
    .map((name) => name.slice(0, -'.orig'.length))
    .sort();
}

export function pristine(lesson: Lesson, file: string): string {
  return readFileSync(join(pristineDir(lesson), `${file}.orig`), 'utf8');
}

/** The learner's copy of a file ('' if it was deleted). */
export function current(lesson: Lesson, file: string): string {
  const path = join(exerciseDir(lesson), file);
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}

export function changedFiles(lesson: Lesson): string[] {
  return exerciseFiles(lesson).filter((file) => current(lesson, file) !== pristine(lesson, file));
}

/** Writes `content` as the exercise file `file` of `dir`, making its subfolder if it has one. */
export function writeExerciseFile(dir: string, file: string, content: string): void {
  mkdirSync(dirname(join(dir, file)), { recursive: true });
  writeFileSync(join(dir, file), content);
}

/**
 * A temporary folder like exercise/, holding `contentOf(file)` for each of
 * the lesson's exercise files; removed once `use` is done with it.
 */
export async function inExerciseFolder<T>(
  lesson: Lesson,
  contentOf: (file: string) => string,
  use: (dir: string) => Promise<T>,
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), `exercise-${lesson.number}-`));
  try {
    // Like the lesson's folder: its .ts files are ES modules.
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    for (const file of exerciseFiles(lesson)) writeExerciseFile(dir, file, contentOf(file));
    return await use(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** src/'s version of an exercise file: the solution. */
export const solution = (lesson: Lesson, file: string) => readFileSync(join(lesson.dir, 'src', file), 'utf8');

export function resetFiles(lesson: Lesson): void {
  for (const file of exerciseFiles(lesson)) writeExerciseFile(exerciseDir(lesson), file, pristine(lesson, file));
}

/** Where the TODOs still are: `primary.ts:22 TODO 1: start config.workers ...`. */
export function todos(lesson: Lesson): string[] {
  return exerciseFiles(lesson).flatMap((file) =>
    current(lesson, file)
      .split('\n')
      .flatMap((line, i) => {
        const todo = /\/\/ (TODO\b.*)$/.exec(line)?.[1];
        return todo ? [`exercise/${file}:${i + 1}  ${todo}`] : [];
      }),
  );
}

/** The hints, in order: the sections of HINTS.md under `## Hint N`. */
export function hints(lesson: Lesson): string[] {
  const path = join(exerciseDir(lesson), 'HINTS.md');
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split(/^## /m)
    .slice(1)
    .map((section) => `${section.trim()}\n`);
}

export interface ExerciseState {
  hintsShown: number;
  /** The last check: passed, and how many claims it ran and passed (it stops at the first failure). */
  lastCheck?: { passed: boolean; at: string; claims?: number; claimsPassed?: number };
}

export function lastCheckOf(result: CheckResult): NonNullable<ExerciseState['lastCheck']> {
  const ran = result.claims.filter((claim) => claim.status === 'passed' || claim.status === 'failed');
  return {
    passed: result.passed,
    at: new Date().toISOString(),
    claims: result.claims.length,
    claimsPassed: ran.filter((claim) => claim.status === 'passed').length,
  };
}

const statePath = (lesson: Lesson) => join(exerciseDir(lesson), '.state.json');

export function readState(lesson: Lesson): ExerciseState {
  try {
    return { hintsShown: 0, ...(JSON.parse(readFileSync(statePath(lesson), 'utf8')) as Partial<ExerciseState>) };
  } catch {
    return { hintsShown: 0 };
  }
}

export function writeState(lesson: Lesson, state: ExerciseState): void {
  writeFileSync(statePath(lesson), `${JSON.stringify(state, null, 2)}\n`);
}
