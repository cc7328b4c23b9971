// The course runner behind the root scripts:
//   pnpm lessons                 the lessons in order
//   pnpm lesson <n> [part] [--demo]   run one lesson, or one of its parts
//                                (e.g. pnpm lesson 02 stranded), or its demo, in the foreground
//   pnpm start                   the tour: every demo in order
//   pnpm verify <n> [-- vitest args]   the tests of one lesson (e.g. -- -t 'a test name')
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, styleText } from 'node:util';
import { startLesson } from '../harness/harness.ts';
import { courseRoot, findLesson, type Lesson, listLessons, partsOf } from '../harness/lessons.ts';

const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;

// `pnpm lessons | head -3` closes our stdout early: that is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
const bold = (text: string) => (color ? styleText('bold', text) : text);

function table(lessons: Lesson[]): string {
  const width = Math.max(5, ...lessons.map((l) => l.title.length));
  const rows = lessons.map((l) => `  ${l.number}  ${l.title.padEnd(width)}  lessons/${l.folder}`);
  return [`  #   ${'title'.padEnd(width)}  folder`, ...rows].join('\n');
}

function resolveOrExit(query: string | undefined, command: string): Lesson {
  const lesson = query ? findLesson(query) : undefined;
  if (!lesson) {
    process.stderr.write(
      `${query ? `unknown lesson "${query}"` : 'which lesson?'}: pnpm ${command} <n> takes one of\n${table(listLessons())}\n`,
    );
    process.exit(2);
  }
  return lesson;
}

/** Exit code for a child's exit: its code, or 128 + signal number. */
function codeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  const numbers: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
  return 128 + (numbers[signal ?? ''] ?? 1);
}

/** The folder of a part of the lesson ('' for the lesson itself), or exit 2 with the parts it has. */
function partOrExit(lesson: Lesson, part: string | undefined): string {
  if (part === undefined) return '';
  const parts = partsOf(lesson);
  if (parts.includes(part)) return `${part}/`;
  const has = parts.length ? `its parts are: ${parts.join(', ')}` : 'it has no parts';
  process.stderr.write(`lesson ${lesson.number} has no part "${part}": ${has}\n`);
  process.exit(2);
}

/** Run a lesson in the foreground; Ctrl-C or SIGTERM is passed on to its primary. */
async function runForeground(lesson: Lesson, part = ''): Promise<number> {
  const env = color ? { FORCE_COLOR: '1' } : {};
  const entry = `${part}src/main.ts`;
  const running = await startLesson(lesson.dir, { entry, waitForReady: false, echo: true, env });
  const forward = (signal: NodeJS.Signals) => running.signal(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  const exit = await running.exited;
  await running.dispose();
  // pnpm's own exit status says little ($? is 130 after any Ctrl-C): this
  // line says how the lesson itself ended.
  const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
  process.stdout.write(`${bold(`lesson ${lesson.number} ${how}`)}\n`);
  return codeOf(exit.code, exit.signal);
}

/** Run a script of the lesson (its demo) as a plain child that shares our terminal. */
async function runScript(lesson: Lesson, entry: string): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: lesson.dir, stdio: 'inherit' });
  // Ctrl-C reaches the child too (same process group); we wait for it to finish.
  const ignore = () => {};
  const pass = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', ignore);
  process.on('SIGTERM', pass);
  const [code, signal] = await once(child, 'exit');
  process.off('SIGINT', ignore);
  process.off('SIGTERM', pass);
  return codeOf(code, signal);
}

async function demo(lesson: Lesson, part = ''): Promise<number> {
  const entry = `${part}demo/demo.ts`;
  if (!existsSync(join(lesson.dir, entry))) {
    process.stderr.write(`lesson ${lesson.folder} has no ${entry}\n`);
    return 1;
  }
  return runScript(lesson, entry);
}

async function tour(): Promise<number> {
  const lessons = listLessons();
  const failed: string[] = [];
  const started = Date.now();
  for (const lesson of lessons) {
    const rule = '='.repeat(72);
    process.stdout.write(`\n${rule}\n${bold(`Lesson ${lesson.number}: ${lesson.title}`)}\n`);
    process.stdout.write(
      `lessons/${lesson.folder}/README.md · pnpm lesson ${lesson.number} · pnpm verify ${lesson.number}\n${rule}\n\n`,
    );
    const code = await demo(lesson);
    if (code !== 0) failed.push(`${lesson.folder} (exit ${code})`);
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (failed.length) {
    process.stderr.write(`\ntour finished in ${seconds} s; these demos failed: ${failed.join(', ')}\n`);
    return 1;
  }
  process.stdout.write(`\ntour finished: ${lessons.length} lessons in ${seconds} s. Next: pnpm test\n`);
  return 0;
}

async function verify(lesson: Lesson, extra: string[]): Promise<number> {
  const vitest = join(courseRoot, 'node_modules/vitest/vitest.mjs');
  const child = spawn(process.execPath, [vitest, 'run', `tests/${lesson.folder}.test.ts`, ...extra], {
    cwd: courseRoot,
    stdio: 'inherit',
  });
  process.on('SIGINT', () => {});
  const [code, signal] = await once(child, 'exit');
  return codeOf(code, signal);
}

// Everything after `--` goes to vitest (pnpm verify only).
const dash = process.argv.indexOf('--', 2);
const vitestArgs = dash === -1 ? [] : process.argv.slice(dash + 1);
const { positionals, values } = parseArgs({
  args: dash === -1 ? process.argv.slice(2) : process.argv.slice(2, dash),
  allowPositionals: true,
  options: { demo: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
});
const [command, query, part] = positionals;

switch (command) {
  case 'lessons':
    process.stdout.write(`${table(listLessons())}\n`);
    break;
  case 'lesson': {
    const lesson = resolveOrExit(query, 'lesson');
    const folder = partOrExit(lesson, part);
    process.exitCode = values.demo ? await demo(lesson, folder) : await runForeground(lesson, folder);
    break;
  }
  case 'verify':
    process.exitCode = await verify(resolveOrExit(query, 'verify'), vitestArgs);
    break;
  case 'tour':
    process.exitCode = await tour();
    break;
  default:
    process.stderr.write('usage: pnpm lessons | pnpm lesson <n> [part] [--demo] | pnpm start | pnpm verify <n>\n');
    process.exitCode = 2;
}
