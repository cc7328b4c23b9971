// The "Try it" section of a lesson's README, read as steps a tool can run
// (`pnpm readme:try`). A step is a comment line, then (for start and run) the
// ```sh block a learner types, exactly as shown:
//
//   <!-- try: start -->                  terminal 1 runs the block and waits for its ready line
//   <!-- try: start; until /re/ -->      ...or for another line (an exit 2 prints no ready line)
//   <!-- try: expect /re/ -->            terminal 2 runs the block; its output must match
//   <!-- try: lesson /re/ -->            ...and terminal 1 must print a matching line after it
//   <!-- try: exit 1 -->                 ...the block's exit status (default 0)
//   <!-- try: ends 0 -->                 ...and terminal 1 ends: the lesson exited with 0
//   <!-- try: ends SIGKILL -->           ...or was killed by that signal
//   <!-- try: timeout 90 -->             ...seconds the block may take (default 30)
//   <!-- try: stop -->                   Ctrl-C in terminal 1 (no block): `pnpm lesson NN` must say the
//                                        lesson exited with 0 (`stop; ends 1` for another code)
//
// Clauses combine with `;`, and `expect` and `lesson` may repeat (lesson
// lines in order). Terminal 2 is one shell for the whole section, so a
// variable set in one block is there in the next, as in a real terminal.

export interface StartStep {
  kind: 'start';
  line: number;
  code: string;
  until: RegExp;
  /** Lines terminal 1 must also have printed by then (`start; lesson /re/`). */
  lesson: RegExp[];
}

export interface RunStep {
  kind: 'run';
  line: number;
  code: string;
  expect: RegExp[];
  lesson: RegExp[];
  exit: number;
  /** How the lesson ends after this block: an exit code or a signal name; undefined if it runs on. */
  ends: number | string | undefined;
  timeoutMs: number;
}

export interface StopStep {
  kind: 'stop';
  line: number;
  lesson: RegExp[];
  /** How the lesson ends; undefined when terminal 1 runs no `pnpm lesson` (nothing says how it ended). */
  ends: number | string | undefined;
}

export type Step = StartStep | RunStep | StopStep;

const MARKER = /^<!-- try: (.+) -->$/;
const READY = /\bready\b.*?\b(?:https?|tcp):\/\//;

/** The clauses of a marker: [keyword, argument] pairs; a /regex/ argument may hold `;`. */
function clauses(spec: string): [string, string][] {
  const found: [string, string][] = [];
  const clause = /\s*([a-z]+)(?:\s+(\/(?:\\.|[^/\\])*\/[a-z]*|\d+|SIG[A-Z]+))?\s*(?:;|$)/y;
  while (clause.lastIndex < spec.length) {
    const at = clause.lastIndex;
    const match = clause.exec(spec);
    if (!match) throw new Error(`cannot read "${spec.slice(at)}" in <!-- try: ${spec} -->`);
    found.push([match[1] ?? '', match[2] ?? '']);
  }
  return found;
}

function regex(arg: string, where: string): RegExp {
  const match = /^\/(.*)\/([a-z]*)$/s.exec(arg);
  if (!match) throw new Error(`${where}: expected a /regex/, got "${arg}"`);
  return new RegExp(match[1] ?? '', `${match[2] ?? ''}m`);
}

function ending(arg: string, where: string): number | string {
  return arg.startsWith('SIG') ? arg : number(arg, where);
}

function number(arg: string, where: string): number {
  if (!/^\d+$/.test(arg)) throw new Error(`${where}: expected a number, got "${arg}"`);
  return Number(arg);
}

/** The steps of a README's "Try it" section, in order. Throws on a marker it cannot read. */
export function trySteps(readme: string, file = 'README.md'): Step[] {
  const lines = readme.split('\n');
  const start = lines.indexOf('## Try it');
  if (start === -1) return [];
  const end = lines.findIndex((line, i) => i > start && line.startsWith('## '));
  const steps: Step[] = [];
  let started = '';
  for (let i = start; i < (end === -1 ? lines.length : end); i++) {
    const spec = MARKER.exec(lines[i] ?? '')?.[1];
    if (!spec) continue;
    const where = `${file}:${i + 1}`;
    const parts = clauses(spec);
    const keys = parts.map(([key]) => key);
    const arg = (key: string) => parts.find(([k]) => k === key)?.[1];
    const ends = arg('ends');
    const all = (key: string) => parts.filter(([k]) => k === key).map(([, a]) => regex(a, where));
    if (keys.includes('stop')) {
      const runner = /\bpnpm lesson \d/.test(started) ? 0 : undefined;
      steps.push({ kind: 'stop', line: i + 1, lesson: all('lesson'), ends: ends ? ending(ends, where) : runner });
      continue;
    }
    if (lines[i + 1] !== '```sh') throw new Error(`${where}: a try marker must stand just above a \`\`\`sh fence`);
    const close = lines.indexOf('```', i + 2);
    if (close === -1) throw new Error(`${where}: the fence is not closed`);
    const code = lines.slice(i + 2, close).join('\n');
    for (const key of keys) {
      if (!['start', 'until', 'expect', 'lesson', 'exit', 'ends', 'timeout'].includes(key))
        throw new Error(`${where}: unknown clause "${key}"`);
    }
    if (keys.includes('start')) {
      started = code;
      const until = arg('until');
      steps.push({
        kind: 'start',
        line: i + 1,
        code,
        until: until ? regex(until, where) : READY,
        lesson: all('lesson'),
      });
    } else {
      const exit = arg('exit');
      const timeout = arg('timeout');
      steps.push({
        kind: 'run',
        line: i + 1,
        code,
        expect: all('expect'),
        lesson: all('lesson'),
        exit: exit ? number(exit, where) : 0,
        ends: ends ? ending(ends, where) : undefined,
        timeoutMs: (timeout ? number(timeout, where) : 30) * 1000,
      });
    }
    i = close;
  }
  return steps;
}
