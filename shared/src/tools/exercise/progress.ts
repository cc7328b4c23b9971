// `pnpm exercise` with no exercise named: where the learner stands. Each
// exercise's state is its last check (exercise/.state.json, files.ts):
// re-running every check just to list them would take minutes.
import type { Lesson } from '../../harness/lessons.ts';
import { readState } from './files.ts';

/** The course's parts, by lesson number (the root README's course map says the same). */
const parts = [
  { name: 'part I (one machine, by hand)', last: 9 },
  { name: 'part II (what comes after)', last: 13 },
  { name: 'part III (running it for real)', last: 99 },
];
const partOf = (lesson: Lesson) => parts.find((part) => Number(lesson.number) <= part.last) ?? parts[2];

/** The exercises and their state, the course's progress per part, and the next step. */
export function printProgress(exercises: Lesson[]): number {
  const done = (lesson: Lesson) => readState(lesson).lastCheck?.passed === true;
  const next = exercises.find((lesson) => !done(lesson));
  process.stdout.write('  #   state     exercise\n');
  for (const lesson of exercises) {
    const state = done(lesson) ? 'done' : lesson === next ? 'next ->' : 'to do';
    process.stdout.write(`  ${lesson.number}  ${state.padEnd(8)}  ${lesson.title}\n`);
  }
  const count = exercises.filter(done).length;
  const byPart = parts
    .map((part) => ({ part, of: exercises.filter((lesson) => partOf(lesson) === part) }))
    .filter(({ of }) => of.length > 0)
    .map(({ part, of }) => `${part.name} ${of.filter(done).length} of ${of.length}`);
  process.stdout.write(`\n${count} of ${exercises.length} exercises done: ${byPart.join(', ')}.\n`);
  if (!next) {
    process.stdout.write('All done! Compare yours with the course’s: pnpm exercise NN --solution\n');
    return 0;
  }
  const tried = readState(next).lastCheck !== undefined;
  process.stdout.write(
    tried
      ? `Next: pnpm exercise ${next.number} (your last check did not pass; --hint if stuck)\n`
      : `Next: read lessons/${next.folder}/README.md, then pnpm exercise ${next.number}\n`,
  );
  return 0;
}
