// `pnpm exercise NN --watch`: check, then again on every save of a file in
// exercise/, until Ctrl-C. A save during a check restarts it; Ctrl-C stops the
// check under way (vitest and every lesson it started) before we exit.
import { watch as watchFiles } from 'node:fs';
import type { Lesson } from '../../harness/lessons.ts';
import { checkExercise } from './check.ts';
import { exerciseDir, lastCheckOf, readState, writeState } from './files.ts';
import { loadMentor } from './mentor.ts';
import { readMistakes } from './mistakes/read.ts';
import { printReading, printVerdict } from './report.ts';

export async function watch(lesson: Lesson): Promise<number> {
  let running: AbortController | undefined;
  let timer: NodeJS.Timeout | undefined;

  async function run(): Promise<void> {
    running?.abort();
    const controller = new AbortController();
    running = controller;
    process.stdout.write('\x1b[2J\x1b[H'); // clear the screen
    process.stdout.write(`Checking exercise ${lesson.number} (${lesson.title})...\n`);
    const [reading, mentor] = await Promise.all([
      readMistakes(lesson, exerciseDir(lesson), controller.signal),
      loadMentor(lesson),
    ]);
    if (controller.signal.aborted) return; // restarted while the files were read
    printReading(reading);
    const result = await checkExercise(lesson, { signal: controller.signal });
    if (!result.finished) return; // restarted, or stopped
    printVerdict(lesson, result, mentor);
    writeState(lesson, { ...readState(lesson), lastCheck: lastCheckOf(result) });
    process.stdout.write('\nWatching exercise/ for changes; Ctrl-C to stop.\n');
  }

  // Editors save in bursts (a temp file, a rename): wait for a quiet moment.
  const watcher = watchFiles(exerciseDir(lesson), (_event, name) => {
    if (!name || name.startsWith('.') || !name.endsWith('.ts')) return;
    clearTimeout(timer);
    timer = setTimeout(() => void run(), 200);
  });
  void run();
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  watcher.close();
  clearTimeout(timer);
  running?.abort();
  // Give the check a moment to be killed as a group, then go.
  await new Promise((resolve) => setTimeout(resolve, 300));
  return 0;
}
