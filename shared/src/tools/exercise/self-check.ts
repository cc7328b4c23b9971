// `pnpm exercise --self-check`: the exercises and the tests agree. For every
// exercise, its files as shipped (the pristine copies) must fail at least one
// of the lesson's claims: it is not already solved. With src/'s files in
// their place, every claim must pass: it can be solved. Each known-wrong
// solution of its mentor (lessons/NN-slug/mentor.ts) must get the mentor's
// words, and every words entry of the mentor must be said by one of them:
// no sentence is written that no test has seen said. The same holds for the
// words every lesson shares (the contract's and the harness's, in
// mentor.ts): checking every exercise, each must be said by some known
// wrong. Each runs in a temporary folder, so the learner's own files are
// never touched. It runs every lesson's whole test file, so it takes
// minutes: CI runs it (.ci/run), the suite does not.
//
// --shipped-only: only the first of these, for each exercise. What it
// proves on a given Node.js is the loader hook (register.mjs): the files as
// shipped can only fail if they are the ones loaded, in place of src/'s.
// CI runs it on the end-of-life major, whose hook is the older
// module.register(), and the whole self-check on the recommended one; its
// suite run (pnpm test there, pnpm matrix for the other majors) has already
// run every claim with src/'s files on both.
import type { Lesson } from '../../harness/lessons.ts';
import { checkExercise } from './check.ts';
import { inExerciseFolder, pristine, solution } from './files.ts';
import { whatIsSaid } from './known-wrong.ts';
import { contractWords, harnessWords, loadMentor, type Words } from './mentor.ts';

function withFiles(lesson: Lesson, solved: boolean) {
  const contentOf = (file: string) => (solved ? solution(lesson, file) : pristine(lesson, file));
  return inExerciseFolder(lesson, contentOf, (dir) => checkExercise(lesson, { exerciseDir: dir, all: solved }));
}

/** `every`: these are all the exercises, so every shared words entry must be said by one of them. */
export async function selfCheck(exercises: Lesson[], mentor = true, every = false, solvedToo = true): Promise<number> {
  let bad = 0;
  const said = new Set<Words>();
  let sharedBad = false;
  for (const lesson of exercises) {
    let started = Date.now();
    const shipped = await withFiles(lesson, false);
    const shippedSeconds = ((Date.now() - started) / 1000).toFixed(0);
    const failedClaim = shipped.claims.find((claim) => claim.status === 'failed');
    const shippedFails = shipped.finished && !shipped.passed && failedClaim !== undefined;
    const asShipped = `as shipped fails "${failedClaim?.name ?? '(nothing failed)'}" (${shippedSeconds} s)`;
    if (!solvedToo) {
      if (!shippedFails) bad += 1;
      process.stdout.write(`${shippedFails ? 'ok  ' : 'BAD '} exercise ${lesson.number}: ${asShipped}\n`);
      continue;
    }
    started = Date.now();
    const solved = await withFiles(lesson, true);
    const solvedSeconds = ((Date.now() - started) / 1000).toFixed(0);
    const solvedFailures = solved.claims.filter((claim) => claim.status === 'failed');
    const ok = shippedFails && solved.passed;
    if (!ok) bad += 1;
    process.stdout.write(
      `${ok ? 'ok  ' : 'BAD '} exercise ${lesson.number}: ${asShipped}; ` +
        `solved passes ${solved.claims.filter((c) => c.status === 'passed').length} of ${solved.claims.length} (${solvedSeconds} s)\n`,
    );
    for (const claim of solvedFailures) process.stdout.write(`       solved, but failed: ${claim.name}\n`);
    if (mentor && !(await mentorAgrees(lesson, said)) && ok) bad += 1; // one count per exercise
  }
  if (mentor && every) {
    const unsaid = [...contractWords, ...harnessWords].filter((words) => !said.has(words));
    for (const words of unsaid)
      process.stdout.write(
        `BAD  no known wrong of any exercise gets the shared words for "${words.claim || words.when}"\n`,
      );
    if (unsaid.length > 0) sharedBad = true;
  }
  const what = solvedToo ? "agree with their lesson's tests" : 'fail as shipped (their files are the ones loaded)';
  process.stdout.write(`${exercises.length - bad} of ${exercises.length} exercises ${what}\n`);
  return bad === 0 && !sharedBad ? 0 : 1;
}

/** Each known-wrong solution gets its words, and each words entry is said by one (`said` gathers them). */
async function mentorAgrees(lesson: Lesson, said: Set<Words>): Promise<boolean> {
  const mentor = await loadMentor(lesson);
  let ok = true;
  for (const wrong of mentor.wrong) {
    const started = Date.now();
    const result = await whatIsSaid(lesson, mentor, wrong).catch((err: Error) => ({ ok: false, said: err.message }));
    if ('words' in result && result.words) said.add(result.words);
    ok &&= result.ok;
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    process.stdout.write(
      `     ${result.ok ? 'ok ' : 'BAD'} known wrong "${wrong.name}" (${wrong.when}, ${seconds} s)\n`,
    );
    if (!result.ok) process.stdout.write(`         wanted "${wrong.says}", said ${result.said}\n`);
  }
  for (const words of mentor.words.filter((w) => !said.has(w))) {
    ok = false;
    process.stdout.write(
      `     BAD no known wrong gets the words for "${words.claim}" (${words.when ?? 'any failure'})\n`,
    );
  }
  return ok;
}
