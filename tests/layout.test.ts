// The layout rules of CONTRIBUTING.md, checked on every lesson: src/ is the
// program and nothing else (and so is a part's src/, e.g. 02's
// stranded/src/), a lesson program imports only shared/'s runtime, its port
// is its number's, and a lesson builds only on lessons before it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { listLessons, partsOf } from '@cluster-course/shared/harness/lessons';
import { describe, expect, it } from 'vitest';

const lessons = listLessons();
const code = /\.(ts|mjs|cjs)$/;

/** The code files of a lesson folder (src, demo, exercise) and its subfolders, by path relative to the lesson. */
function codeFiles(dir: string, sub: string): string[] {
  if (!existsSync(join(dir, sub))) return [];
  return readdirSync(join(dir, sub), { withFileTypes: true }).flatMap((entry) => {
    const path = `${sub}/${entry.name}`;
    if (entry.isDirectory()) return entry.name.startsWith('.') ? [] : codeFiles(dir, path);
    return code.test(entry.name) ? [path] : [];
  });
}

/** Every module a file names: imports, import(), and paths handed to fork/Worker/PM2. */
function namedModules(text: string): string[] {
  return [...text.matchAll(/['"]([@.][^'"\s]*)['"]/g)].map((m) => m[1] ?? '');
}

describe.each(lessons.map((l) => [l.folder, l] as const))('lesson %s', (_, lesson) => {
  const read = (file: string) => readFileSync(join(lesson.dir, file), 'utf8');
  const parts = partsOf(lesson);
  const src = ['src', ...parts.map((part) => `${part}/src`)].flatMap((sub) => codeFiles(lesson.dir, sub));
  const mains = new Set(['src/main.ts', ...parts.map((part) => `${part}/src/main.ts`)]);

  it('has in src/ only the program: every file is reached from src/main.ts or an entry the lesson declares', () => {
    // Entries: main.ts (the lesson's, or a part's), a src/ file a package.json
    // script runs, or one a config at the lesson's root names (PM2's ecosystem).
    const scripts = Object.values(JSON.parse(read('package.json')).scripts ?? {}).join(' ');
    const configs = readdirSync(lesson.dir)
      .filter((name) => code.test(name) && name !== 'mentor.ts') // the mentor's words name files; it runs none
      .map(read)
      .join('\n');
    const roots = src.filter((file) => mains.has(file) || scripts.includes(file) || configs.includes(file));
    const reached = new Set<string>();
    const visit = (file: string) => {
      if (reached.has(file) || !src.includes(file)) return;
      reached.add(file);
      for (const name of namedModules(read(file))) {
        if (name.startsWith('./') || name.startsWith('../')) visit(join(dirname(file), name));
      }
    };
    roots.forEach(visit);
    expect(
      src.filter((file) => !reached.has(file)),
      'src/ files nothing runs (instruments go to demo/)',
    ).toEqual([]);
  });

  it("imports from shared/ only its runtime in src/ (the harness and the tools are for tests, demos and the course's commands)", () => {
    for (const file of src) {
      const shared = namedModules(read(file)).filter((name) => name.startsWith('@cluster-course/shared'));
      for (const name of shared) expect(name, file).toMatch(/^@cluster-course\/shared(\/runtime\/[\w-]+)?$/);
    }
  });

  it('has its own default port, 3000 + 100 × NN, in src/config.ts, and its README names it', () => {
    const port = 3000 + 100 * Number(lesson.number);
    expect(read('src/config.ts')).toMatch(new RegExp(`^export const DEFAULT_PORT = ${port};$`, 'm'));
    expect(read('README.md')).toMatch(new RegExp(`\\b${port}\\b`));
  });

  it('builds only on lessons before it', () => {
    const files = ['src', 'demo', 'exercise', ...parts].flatMap((sub) => codeFiles(lesson.dir, sub));
    for (const file of files) {
      for (const name of namedModules(read(file))) {
        const other = /^@cluster-course\/(\d{2})-|(?:^|\/)(\d{2})-[a-z0-9-]+\//.exec(name);
        const number = other?.[1] ?? other?.[2];
        if (number) expect(Number(number), `${file} imports ${name}`).toBeLessThan(Number(lesson.number));
      }
    }
  });
});
