// `pnpm readme:outputs [NN ... | map]`: regenerates the output blocks of the
// lessons' READMEs from real runs, so "What you will see" cannot drift from
// the code, and (with no argument, or `map`) the root README's course map
// from the lessons' package.json (course-map.ts). A block is marked by the comment line just above its fence:
//
//   <!-- output: pnpm lesson 04 --demo -->
//   <!-- output: PORT=0 WORKERS=2 pnpm lesson 06; to /^ready:/ -->
//   <!-- output: pnpm lesson 02 --demo; from /^> Kill/; without /Worker \d+ started/ -->
//
// The command is `pnpm lesson NN [part] --demo` (runs the demo to its end),
// `[VAR=value ...] pnpm lesson NN [part]` (starts the lesson, waits for its ready
// line, stops it with SIGINT; with the clause `exits`, a lesson that ends by
// itself runs to its end) or `pnpm bench [args]`. Then, optionally:
// `from /re/` and `to /re/` keep the lines from the first match of one to the
// first match of the other (both kept), `without /re/` drops matching lines.
// Numbers (pids, ports, timings) change from run to run: the prose around a
// block must not quote them. The checkout's own path (in a stack trace, say)
// is written as `<checkout>`: a README shows nothing of the machine it was
// made on (tests/course.test.ts rejects such a path).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runLesson, startLesson } from '../harness/harness.ts';
import { courseRoot, findLesson, listLessons, partsOf } from '../harness/lessons.ts';
import { withCourseMap } from './course-map.ts';

const MARKER = /^<!-- output: (.+) -->$/;

interface Recipe {
  env: Record<string, string>;
  lesson: string;
  /** A part's folder with its slash (`stranded/`), or '' for the lesson itself. */
  part: string;
  demo: boolean;
  bench: string[] | undefined;
  /** The lesson ends by itself (a crash loop's exit 1): run it to its end. */
  exits: boolean;
  from?: RegExp;
  to?: RegExp;
  without: RegExp[];
}

function parse(spec: string): Recipe {
  const [command = '', ...clauses] = spec.split(/;\s*/);
  const words = command.trim().split(/\s+/);
  const env: Record<string, string> = {};
  while (/^[A-Z_]+=/.test(words[0] ?? '')) {
    const [key = '', value = ''] = (words.shift() ?? '').split('=');
    env[key] = value;
  }
  const recipe: Recipe = { env, lesson: '', part: '', demo: false, bench: undefined, exits: false, without: [] };
  if (words[0] !== 'pnpm') throw new Error(`not a pnpm command: ${spec}`);
  if (words[1] === 'bench') recipe.bench = words.slice(2);
  else if (words[1] === 'lesson' && findLesson(words[2] ?? '')) {
    const lesson = findLesson(words[2] ?? '');
    recipe.lesson = words[2] ?? '';
    const rest = words.slice(3);
    if (rest[0] && !rest[0].startsWith('--')) {
      const part = rest.shift() ?? '';
      if (!lesson || !partsOf(lesson).includes(part)) throw new Error(`no part "${part}" in: ${spec}`);
      recipe.part = `${part}/`;
    }
    recipe.demo = rest[0] === '--demo';
  } else throw new Error(`cannot run: ${command}`);
  for (const clause of clauses) {
    if (clause.trim() === 'exits') {
      recipe.exits = true;
      continue;
    }
    const match = /^(from|to|without) \/(.+)\/$/.exec(clause.trim());
    if (!match?.[2]) throw new Error(`bad clause "${clause}" in: ${spec}`);
    const re = new RegExp(match[2]);
    if (match[1] === 'without') recipe.without.push(re);
    else if (match[1] === 'from') recipe.from = re;
    else recipe.to = re;
  }
  return recipe;
}

async function run(recipe: Recipe): Promise<string[]> {
  const lessonDir = findLesson(recipe.lesson)?.dir ?? courseRoot;
  const env = { NO_COLOR: '1', ...recipe.env };
  if (recipe.bench) {
    const entry = 'lessons/09-benchmark/demo/bench.ts';
    const { exit, stdout } = await runLesson(courseRoot, { entry, args: recipe.bench, env, timeoutMs: 600_000 });
    if (exit.code !== 0) throw new Error(`pnpm bench exited with ${exit.code}`);
    return stdout;
  }
  if (recipe.demo) {
    const { exit, stdout, stderr } = await runLesson(lessonDir, {
      entry: `${recipe.part}demo/demo.ts`,
      env,
      timeoutMs: 120_000,
    });
    if (exit.code !== 0) throw new Error(`the demo exited with ${exit.code}: ${stderr.join('\n')}`);
    return stdout;
  }
  if (recipe.exits) {
    const { lesson } = await runLesson(lessonDir, { entry: `${recipe.part}src/main.ts`, env, timeoutMs: 60_000 });
    return lesson.output().split('\n');
  }
  const lesson = await startLesson(lessonDir, { entry: `${recipe.part}src/main.ts`, env });
  try {
    await lesson.stop('SIGINT');
    return lesson.output().split('\n');
  } finally {
    await lesson.dispose();
  }
}

function cut(lines: string[], recipe: Recipe): string[] {
  // No path of this machine (before `without`, which may name <checkout>).
  const checkout = courseRoot.replace(/\/$/, '');
  let kept = lines
    .map((line) => line.replaceAll(checkout, '<checkout>'))
    .filter((line) => !recipe.without.some((re) => re.test(line)));
  const { from, to } = recipe;
  if (from)
    kept = kept.slice(
      Math.max(
        0,
        kept.findIndex((line) => from.test(line)),
      ),
    );
  if (to) {
    const end = kept.findIndex((line) => to.test(line));
    if (end !== -1) kept = kept.slice(0, end + 1);
  }
  // No blank lines at either end, and no trailing spaces.
  kept = kept.map((line) => line.trimEnd());
  while (kept[0] === '') kept.shift();
  while (kept.at(-1) === '') kept.pop();
  return kept;
}

async function regenerate(file: string): Promise<number> {
  const lines = readFileSync(file, 'utf8').split('\n');
  let count = 0;
  for (let i = 0; i < lines.length; i++) {
    const spec = MARKER.exec(lines[i] ?? '')?.[1];
    if (!spec) continue;
    if (lines[i + 1] !== '```text')
      throw new Error(`${file}:${i + 1}: a marker must stand just above a \`\`\`text fence`);
    const close = lines.indexOf('```', i + 2);
    if (close === -1) throw new Error(`${file}:${i + 2}: the fence is not closed`);
    process.stdout.write(`  ${spec}\n`);
    const recipe = parse(spec);
    const output = cut(await run(recipe), recipe);
    lines.splice(i + 2, close - (i + 2), ...output);
    i += 1 + output.length;
    count += 1;
  }
  writeFileSync(file, lines.join('\n'));
  return count;
}

const wanted = process.argv.slice(2);
if (wanted.length === 0 || wanted.includes('map')) {
  const file = join(courseRoot, 'README.md');
  writeFileSync(file, withCourseMap(readFileSync(file, 'utf8'), listLessons()));
  process.stdout.write('README.md\n  course map made from the lessons\n');
}
const queries = wanted.filter((q) => q !== 'map');
const lessons = wanted.length ? queries.map((q) => findLesson(q)) : listLessons();
for (const [i, lesson] of lessons.entries()) {
  if (!lesson) {
    process.stderr.write(`readme:outputs: no lesson "${queries[i]}"\n`);
    process.exit(2);
  }
  process.stdout.write(`lessons/${lesson.folder}/README.md\n`);
  const count = await regenerate(join(lesson.dir, 'README.md'));
  process.stdout.write(`  ${count} block${count === 1 ? '' : 's'} regenerated\n`);
}
