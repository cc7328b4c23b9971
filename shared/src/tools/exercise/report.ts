// What `pnpm exercise` prints: the verdict of a check, a question, the diff
// from the learner's files to the solution.
import { spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline/promises';
import type { Lesson } from '../../harness/lessons.ts';
import type { CheckResult } from './check.ts';
import { exerciseDir, exerciseFiles, todos } from './files.ts';
import { type Mentor, wordsFor } from './mentor.ts';
import type { Reading } from './mistakes/read.ts';

/** `text` in lines of at most `width` characters, broken between words. */
export function wrap(text: string, width = 76): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return line ? [...lines, line] : lines;
}

/** What a mentor spots in the learner's files, said before the check runs. */
export function printReading(reading: Reading): void {
  const say = (line = '') => process.stdout.write(`${line}\n`);
  if ('failed' in reading) {
    say(`(Your files could not be read before the check: ${reading.failed})`);
    return;
  }
  for (const mistake of reading.mistakes) {
    say(`A mentor reading ${mistake.where} says:`);
    for (const line of wrap(mistake.say)) say(`  ${line}`);
    say();
  }
}

/**
 * A failure in plain words: its message without the stack, and of the
 * lesson's output the harness attached, the last lines (where it went wrong).
 */
function plain(message: string): string[] {
  const lines = message.split('\n').filter((line) => !/^\s+at /.test(line) && !line.includes('node_modules'));
  const isOutput = (line: string) => /^\s+[|!] /.test(line);
  const words = lines.filter((line) => !isOutput(line) && line.trim()).slice(0, 6);
  const output = lines.filter(isOutput).slice(-8);
  const tail = output.length ? ['  the lesson printed, last:', ...output.map((line) => `  ${line.trim()}`)] : [];
  return [...words, ...tail].map((line) => `    ${line}`);
}

export function printVerdict(lesson: Lesson, result: CheckResult, mentor: Mentor): void {
  const say = (line = '') => process.stdout.write(`${line}\n`);
  for (const claim of result.claims) {
    if (claim.status === 'passed') say(`  ✓ ${claim.name}`);
    else if (claim.status === 'failed') say(`  ✗ ${claim.name}`);
  }
  const unchecked = result.claims.filter((c) => c.status !== 'passed' && c.status !== 'failed').length;
  if (unchecked > 0 && !result.passed) say(`  · ${unchecked} more claims, checked once this one passes`);
  say();
  if (result.passed) {
    say(`Exercise ${lesson.number} passes every claim of lesson ${lesson.number}. Well done!`);
    say(`Compare with the course's version: pnpm exercise ${lesson.number} --solution`);
    return;
  }
  const failed = result.claims.find((c) => c.status === 'failed');
  if (failed) {
    say(`Not yet: "${failed.name}"`);
    const words = wordsFor(mentor, failed);
    if (words) {
      for (const line of wrap(words.text)) say(`  ${line}`);
      say('  What the test saw:');
    }
    for (const line of plain(failed.message)) say(line);
  } else {
    say('Not yet: the check did not finish (a syntax or type error? run pnpm lesson to see it).');
  }
  const left = todos(lesson);
  if (left.length > 0) {
    say('\nStill marked TODO:');
    for (const todo of left) say(`  ${todo}`);
  }
  say(`\nStuck? pnpm exercise ${lesson.number} --hint`);
}

/** Yes with --yes; otherwise ask on a terminal, and say no elsewhere. */
export async function confirm(question: string, yes: boolean): Promise<boolean> {
  if (yes) return true;
  if (!process.stdin.isTTY) {
    process.stderr.write(`${question} Run again with --yes to confirm.\n`);
    return false;
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

/** A unified diff from each of the learner's files to src/'s. */
export function solutionDiff(lesson: Lesson): string {
  return exerciseFiles(lesson)
    .map((file) => {
      const mine = `${exerciseDir(lesson)}/${file}`;
      const theirs = `${lesson.dir}/src/${file}`;
      const diff = spawnSync('diff', ['-u', '--label', `exercise/${file}`, '--label', `src/${file}`, mine, theirs], {
        encoding: 'utf8',
      });
      if (diff.error) return `(diff is not installed: compare exercise/${file} with src/${file})\n`;
      return diff.stdout || `exercise/${file} is the same as src/${file}\n`;
    })
    .join('\n');
}
