// Proving the mentor: each known-wrong solution (a lesson's mentor.ts) is
// src/'s solution with one mistake made in it; pnpm exercise, given it, must
// say what the mentor says about that mistake. Used by --self-check (every
// one, checks included) and by tests/exercise-mistakes.test.ts (those said
// before anything runs).
import type { Lesson } from '../../harness/lessons.ts';
import { checkExercise } from './check.ts';
import { inExerciseFolder, solution } from './files.ts';
import { type KnownWrong, type Mentor, type Words, wordsFor } from './mentor.ts';
import { readMistakes } from './mistakes/read.ts';

/** src/'s `file` with the mistake made: each edit's text must be there exactly once. */
export function withMistake(lesson: Lesson, wrong: KnownWrong): string {
  let text = solution(lesson, wrong.file);
  for (const [from, to] of wrong.edits) {
    const count = text.split(from).length - 1;
    if (count !== 1)
      throw new Error(`"${wrong.name}": src/${wrong.file} has ${count} of ${JSON.stringify(from)}, not 1`);
    text = text.replace(from, () => to);
  }
  return text;
}

export interface Said {
  ok: boolean;
  /** What pnpm exercise said about it, in one line (or why it said nothing). */
  said: string;
  /** The entry of the lesson's words that said it, for a `check`. */
  words?: Words;
}

export async function whatIsSaid(lesson: Lesson, mentor: Mentor, wrong: KnownWrong): Promise<Said> {
  const contentOf = (file: string) => (file === wrong.file ? withMistake(lesson, wrong) : solution(lesson, file));
  return inExerciseFolder(lesson, contentOf, async (dir) => {
    if (wrong.when === 'read') {
      const reading = await readMistakes(lesson, dir);
      if ('failed' in reading) return { ok: false, said: `the files could not be read: ${reading.failed}` };
      const found = reading.mistakes.find((m) => m.say.includes(wrong.says));
      if (found) return { ok: true, said: `${found.where}: ${found.say}` };
      return {
        ok: false,
        said: `read: ${reading.mistakes.map((m) => `${m.where}: ${m.say}`).join(' | ') || 'nothing'}`,
      };
    }
    // One at a time: a known wrong that breaks two claims is answered with the
    // words of the first in the file, every run (a learner's check, side by
    // side, may meet the other first: words proved by their own known wrong).
    const result = await checkExercise(lesson, { exerciseDir: dir, oneAtATime: true });
    const failed = result.claims.find((claim) => claim.status === 'failed');
    if (!failed) return { ok: false, said: result.passed ? 'it passed every claim' : 'no claim failed' };
    const words = wordsFor(mentor, failed);
    const said = `"${failed.name}": ${words?.text ?? `(no words) ${failed.message.split('\n')[0]}`}`;
    return { ok: Boolean(words?.text.includes(wrong.says)), said, words: words?.words };
  });
}
