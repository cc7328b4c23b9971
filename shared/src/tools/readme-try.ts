// `pnpm readme:try [NN ...]`: runs the "Try it" section of each lesson's
// README as a learner would type it (shared/src/tools/try-steps.ts says how a step
// is marked), and checks the effect each step states. Terminal 1 runs the
// lesson, started exactly as the README says; terminal 2 runs each block
// from the repository root. A step that no longer works fails here, as a
// test would. Nothing may be left running afterwards.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { courseRoot, findLesson, type Lesson, listLessons } from '../harness/lessons.ts';
import { processesWith } from './suite.ts';
import { ForegroundJob, Shell } from './terminals.ts';
import { type Step, trySteps } from './try-steps.ts';

const endLine = (how: number | string) =>
  new RegExp(`^lesson \\d{2} ${typeof how === 'number' ? `exited with code ${how}` : `was killed by ${how}`}$`);
const anyEnd = /^lesson \d{2} (exited with code|was killed by)/;

/** Waits for terminal 1 to end, and checks how the lesson ended (the runner's last line). */
async function ended(job: ForegroundJob, how: number | string | undefined, since: number): Promise<void> {
  if (how !== undefined) await job.waitFor(anyEnd, since, 15_000);
  await Promise.race([
    job.ended,
    new Promise((_, reject) => setTimeout(() => reject(new Error('terminal 1 did not end')), 5_000)),
  ]);
  if (how !== undefined) await job.waitFor(endLine(how), since, 1);
}

function short(code: string): string {
  const first = code.split('\n').find((line) => line.trim() && !line.startsWith('#')) ?? '';
  return first.length > 70 ? `${first.slice(0, 67)}...` : first;
}

async function runStep(step: Step, job: ForegroundJob | undefined, shell: Shell): Promise<ForegroundJob | undefined> {
  if (step.kind === 'start') {
    job?.kill();
    const started = new ForegroundJob(step.code, courseRoot);
    await started.waitFor(step.until, 0, 30_000);
    for (const pattern of step.lesson) await started.waitFor(pattern, 0, 1);
    return started;
  }
  const needsJob = step.kind === 'stop' || step.lesson.length > 0 || step.ends !== undefined;
  if (!job && needsJob) throw new Error('no lesson is running in terminal 1: a `try: start` step must come first');
  if (step.kind === 'stop' && job) {
    const since = job.lines.length;
    job.interrupt();
    let from = since;
    for (const pattern of step.lesson) from = (await job.waitFor(pattern, from, 20_000)) + 1;
    await ended(job, step.ends, since);
    return undefined;
  }
  if (step.kind === 'stop') return job;
  const since = job?.lines.length ?? 0;
  const { output, status } = await shell.run(step.code, step.timeoutMs);
  const problem = (what: string) => new Error(`${what}\n  the block printed:\n${output.replace(/^/gm, '    2| ')}`);
  if (status !== step.exit) throw problem(`the block exited with ${status}, expected ${step.exit}`);
  for (const pattern of step.expect) if (!pattern.test(output)) throw problem(`its output does not match ${pattern}`);
  if (!job) return job;
  let from = since;
  for (const pattern of step.lesson) from = (await job.waitFor(pattern, from, 20_000)) + 1;
  if (step.ends === undefined) return job;
  await ended(job, step.ends, since);
  return undefined;
}

async function tryLesson(lesson: Lesson): Promise<boolean> {
  const file = join(lesson.dir, 'README.md');
  const steps = trySteps(readFileSync(file, 'utf8'), `lessons/${lesson.folder}/README.md`);
  process.stdout.write(`lessons/${lesson.folder}/README.md: ${steps.length} steps\n`);
  if (steps.length === 0) {
    process.stdout.write('  no try steps: the "Try it" section has no <!-- try: ... --> markers\n');
    return false;
  }
  // Both terminals, and all they start, carry this variable: how leftovers are found.
  process.env.CLUSTER_COURSE_RUN = `try-${process.pid}-${lesson.number}`;
  const marker = `CLUSTER_COURSE_RUN=${process.env.CLUSTER_COURSE_RUN}`;
  const shell = new Shell(courseRoot);
  let job: ForegroundJob | undefined;
  try {
    for (const step of steps) {
      const what = step.kind === 'stop' ? 'Ctrl-C in terminal 1' : short(step.code);
      const started = Date.now();
      try {
        job = await runStep(step, job, shell);
      } catch (err) {
        process.stdout.write(`  ✗ line ${step.line}: ${what}\n    ${(err as Error).message}\n`);
        if (job) process.stdout.write(`  terminal 1, last lines:\n${job.tail()}\n`);
        return false;
      }
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      process.stdout.write(`  ✓ line ${step.line}: ${what} (${seconds} s)\n`);
    }
    if (job) {
      process.stdout.write(`  ✗ the section ends with the lesson still running: end it with a \`try: stop\` step\n`);
      return false;
    }
  } finally {
    job?.kill();
    shell.close();
  }
  // The lesson stops itself when its runner is gone (its lifeline); give it the contract's 5 s.
  const deadline = Date.now() + 5_000;
  let left = processesWith(marker);
  while (left.length && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    left = processesWith(marker);
  }
  if (left.length) process.stdout.write(`  ✗ left running after the section: pids ${left.join(', ')}\n`);
  return left.length === 0;
}

const wanted = process.argv.slice(2);
const lessons = wanted.length ? wanted.map((q) => findLesson(q)) : listLessons();
const missing = wanted.find((_, i) => !lessons[i]);
if (missing !== undefined) {
  process.stderr.write(`readme:try: no lesson "${missing}"\n`);
  process.exit(2);
}
const failed: string[] = [];
for (const lesson of lessons) if (lesson && !(await tryLesson(lesson))) failed.push(lesson.number);
process.stdout.write(
  failed.length
    ? `readme:try: failed in lesson ${failed.join(', ')}\n`
    : `readme:try: ${lessons.length} lesson${lessons.length === 1 ? '' : 's'}, every step as stated\n`,
);
process.exitCode = failed.length ? 1 : 0;
