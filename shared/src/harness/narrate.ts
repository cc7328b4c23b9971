// Output helpers for demos: headings, tables, and replaying what the lesson
// itself printed, so a demo reads like a short transcript.
import { styleText } from 'node:util';
import type { LessonProcess } from './harness.ts';

const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;

/** A step of the demo: a bold line after a blank one. */
export function step(text: string): void {
  process.stdout.write(`\n${color ? styleText('bold', `▸ ${text}`) : `> ${text}`}\n`);
}

/** A line of narration. */
export function say(text = ''): void {
  process.stdout.write(`${text}\n`);
}

/** A plain text table with a header row. */
export function table(header: string[], rows: (string | number)[][]): void {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) => `  ${row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ')}`.trimEnd();
  say(line(header));
  say(`  ${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const row of cells.slice(1)) say(line(row));
}

/** Replays the lesson's own output from line `since` on, indented. Returns the new mark. */
export function replay(lesson: LessonProcess, since = 0): number {
  for (const line of lesson.lines.slice(since)) {
    say(`    ${line.stream === 'stderr' ? '!' : '|'} ${line.text}`);
  }
  return lesson.lines.length;
}

/** A demo checks what it shows: a false claim ends it with exit code 1. */
export function expect(ok: boolean, claim: string): void {
  if (!ok) {
    process.stderr.write(`demo: expected ${claim}\n`);
    process.exitCode = 1;
  }
}

/**
 * A demo's last step: stop the lesson with `signal`, replay what it printed
 * from `since` on (its drain, its goodbye), say its exit code and expect 0.
 */
export async function stopAndShow(lesson: LessonProcess, since: number, signal: NodeJS.Signals = 'SIGTERM') {
  const exit = await lesson.stop(signal);
  replay(lesson, since);
  say(`exit code ${exit.code}`);
  expect(exit.code === 0, 'exit code 0');
}
