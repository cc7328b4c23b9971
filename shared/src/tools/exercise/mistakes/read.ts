// Reading the learner's files runs in a process of its own: the compiler's
// API starts the native compiler as a child, talks to it synchronously, and
// prints to stderr when it is stopped; none of that belongs in the output of
// `pnpm exercise`, and a compiler that fails or hangs must not take the
// check down with it. This file is both that process (run directly) and the
// function that starts it.
//
//   node --import tsx read.ts <lesson folder> <exercise dir>   -> JSON: Mistake[]
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { courseRoot, findLesson, type Lesson } from '../../../harness/lessons.ts';
import { exerciseFiles } from '../files.ts';
import { loadMentor } from '../mentor.ts';
import { findMistakes, type Mistake } from './index.ts';

const self = fileURLToPath(import.meta.url);

/** The learner's files in `dir`, by exercise name (a deleted one reads as empty). */
export function learnerFiles(lesson: Lesson, dir: string): Map<string, string> {
  return new Map(
    exerciseFiles(lesson).map((file) => {
      const path = join(dir, file);
      return [file, existsSync(path) ? readFileSync(path, 'utf8') : ''];
    }),
  );
}

export type Reading = { mistakes: Mistake[] } | { failed: string };

/** What a mentor spots in the files of `dir`; `failed` if the compiler could not read them (in 20 s) or `signal` aborted. */
export async function readMistakes(lesson: Lesson, dir: string, signal?: AbortSignal): Promise<Reading> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', self, lesson.folder, dir], {
      signal, // --watch restarting or stopping: this reading is not wanted any more
      cwd: courseRoot, // where tsx is found
      timeout: 20_000,
      killSignal: 'SIGKILL',
      maxBuffer: 1 << 20,
    });
    return { mistakes: JSON.parse(stdout) as Mistake[] };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { failed: message.split('\n')[0] ?? message };
  }
}

if (process.argv[1] === self) {
  const lesson = findLesson(process.argv[2] ?? '');
  const dir = process.argv[3];
  if (!lesson || !dir) {
    process.stderr.write('usage: read.ts <lesson folder> <exercise dir>\n');
    process.exit(2);
  }
  const { roles } = await loadMentor(lesson);
  process.stdout.write(`${JSON.stringify(findMistakes(lesson, learnerFiles(lesson, dir), roles))}\n`);
}
