// `pnpm new lesson NN-slug "Title: what it shows"`: a new lesson that keeps
// the contract and passes the course test from its first commit. It copies
// shared/template/lesson/ (package.json, README in the course's shape,
// src/ with the shared start and stop, demo/demo.ts, the test file running
// the contract), links the package into the workspace (pnpm install), fills
// the README's "What you will see" from a real run of the demo and remakes
// the course map. Then: pnpm verify NN, pnpm readme:try NN, and write the
// lesson.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { courseRoot, lessonsRoot, listLessons } from '../harness/lessons.ts';

const template = join(courseRoot, 'shared', 'template', 'lesson');
const usage = 'usage: pnpm new lesson NN-slug "Title: what it shows"';

function fail(message: string): never {
  process.stderr.write(`pnpm new: ${message}\n${usage}\n`);
  process.exit(2);
}

const [kind, folder = '', title = ''] = process.argv.slice(2);
if (kind !== 'lesson') fail(`"${kind ?? ''}" is not something pnpm new makes`);
if (!/^\d{2}-[a-z0-9]+(-[a-z0-9]+)*$/.test(folder)) fail(`"${folder}" is not NN-slug (two digits, lowercase words)`);
if (!/^[^:"\\]+: \S/.test(title)) fail('the title is "Short title: what it shows" (no quotes or backslashes)');
const number = folder.slice(0, 2);
const taken = listLessons().find((lesson) => lesson.number === number);
if (taken) fail(`lesson ${number} exists: lessons/${taken.folder}`);
if (Number(number) < 1) fail('lessons are numbered from 01');

const values: Record<string, string> = {
  folder,
  number,
  title,
  short: title.split(':')[0]?.trim() ?? title,
  port: String(3000 + 100 * Number(number)),
};
const fill = (text: string) => text.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => values[key] ?? whole);

/** Every template file, by path relative to the template folder. */
function templateFiles(dir = template): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? templateFiles(path) : [relative(template, path)];
  });
}

const lessonDir = join(lessonsRoot, folder);
const written: string[] = [];
for (const file of templateFiles()) {
  const target =
    file === 'test.ts.tmpl'
      ? join(courseRoot, 'tests', `${folder}.test.ts`)
      : join(lessonDir, file.replace(/\.tmpl$/, ''));
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, fill(readFileSync(join(template, file), 'utf8')));
  written.push(relative(courseRoot, target));
}
process.stdout.write(`made lessons/${folder}:\n${written.map((file) => `  ${file}\n`).join('')}`);

/** Runs a step of the course in the checkout; a failure undoes the scaffold. */
function run(what: string, command: string, args: string[]): void {
  process.stdout.write(`${what}\n`);
  const result = spawnSync(command, args, { cwd: courseRoot, stdio: 'inherit' });
  if (result.status === 0) return;
  rmSync(lessonDir, { recursive: true, force: true });
  rmSync(join(courseRoot, 'tests', `${folder}.test.ts`), { force: true });
  process.stderr.write(`pnpm new: "${[command, ...args].join(' ')}" failed; the new lesson was removed\n`);
  process.exit(1);
}

// A new workspace package changes the lockfile, and pnpm refuses that when
// CI is set (its frozen-lockfile default there): say it is meant.
run('linking it into the workspace (pnpm install)', 'pnpm', [
  'install',
  '--no-frozen-lockfile',
  '--prefer-offline',
  '--silent',
]);
const outputs = join(courseRoot, 'shared', 'src', 'tools', 'readme-outputs.ts');
run('its "What you will see" from a real run, and the course map', process.execPath, [
  '--import',
  'tsx',
  outputs,
  number,
  'map',
]);
if (!existsSync(join(lessonDir, 'README.md'))) process.exit(1);
process.stdout.write(
  `\nlesson ${number} is ready to grow. Next:\n` +
    `  pnpm lesson ${number}          # run it\n` +
    `  pnpm verify ${number}          # its tests: every claim, and the contract\n` +
    `  pnpm readme:try ${number}      # its Try-it, as typed\n` +
    `  then say in lessons/${folder}/package.json what it shows and proves (the course map)\n`,
);
