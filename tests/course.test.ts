// The course checks itself: every lesson folder follows the layout and the
// README shape of CONTRIBUTING.md, has its test file and runs the lesson
// contract from it, is on the course map (made from the lessons), and cites
// only tests that exist; the runner lists every lesson. (tests/demos.test.ts runs every demo.)
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runLesson } from '@cluster-course/shared/harness';
import { courseRoot, listLessons } from '@cluster-course/shared/harness/lessons';
import { committedMap, courseMap } from '@cluster-course/shared/tools/course-map';
import { exerciseFiles, hasExercise } from '@cluster-course/shared/tools/exercise/files';
import { trySteps } from '@cluster-course/shared/tools/try-steps';
import { describe, expect, it } from 'vitest';

const lessons = listLessons();
// Every test file's text, with the quoting a README cannot show taken out
// (backticks, escaped quotes), to look up the test names READMEs cite.
const testSources = readdirSync(join(courseRoot, 'tests'))
  .filter((file) => file.endsWith('.ts'))
  .map((file) => readFileSync(join(courseRoot, 'tests', file), 'utf8'))
  .join('\n')
  .replace(/\\(['"`])/g, '$1')
  .replaceAll('`', '');
// An absolute path into a checkout of the course: /somewhere/lessons/NN-...,
// /somewhere/shared/src/..., or this checkout's own root.
const absoluteCheckoutPath = new RegExp(
  `(?<![\\w.~<>-])/[\\w.-]+(/[\\w.-]+)*/(lessons/\\d{2}-|shared/src/|tests/\\d{2}-)|${courseRoot.replace(/\/$/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
);
const readmeSections = [
  'Run it',
  'What you will see',
  'How it works',
  'Try it',
  'Pitfalls',
  'Proved by',
  'Further reading',
];

describe('the course', () => {
  it('has lessons, numbered 01, 02, ... without gaps', () => {
    expect(lessons.length).toBeGreaterThan(0);
    expect(lessons.map((l) => Number(l.number))).toEqual(lessons.map((_, i) => i + 1));
  });

  describe.each(lessons.map((l) => [l.folder, l] as const))('lesson %s', (_, lesson) => {
    const read = (file: string) => readFileSync(join(lesson.dir, file), 'utf8');

    it('has the files of the layout', () => {
      for (const file of ['package.json', 'README.md', 'src/main.ts', 'demo/demo.ts', 'tsconfig.json']) {
        expect(existsSync(join(lesson.dir, file)), file).toBe(true);
      }
    });

    it('has a package.json with its name, title and start script', () => {
      const pkg = JSON.parse(read('package.json'));
      expect(pkg.name).toBe(`@cluster-course/${lesson.folder}`);
      expect(pkg.type).toBe('module');
      expect(pkg.description).toMatch(/\S{3}/);
      expect(pkg.scripts?.start).toBe('node --import tsx src/main.ts');
    });

    it('has a README in the course shape, titled with the description', () => {
      const readme = read('README.md');
      const title = readme.split('\n')[0] ?? '';
      expect(title).toMatch(new RegExp(`^# ${lesson.number}\\b`));
      expect(readme).toContain(lesson.title);
      const headings = [...readme.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
      const found = readmeSections.map((section) => headings.findIndex((h) => h?.startsWith(section)));
      expect(found, `sections ${readmeSections.join(', ')} in this order`).toEqual([...found].sort((a, b) => a - b));
      expect(found).not.toContain(-1);
      expect(readme).toContain(`pnpm lesson ${lesson.number}`);
      expect(readme).toContain(`pnpm verify ${lesson.number}`);
    });

    it('marks its "What you will see" output for `pnpm readme:outputs`, with a command that names this lesson', () => {
      const section = read('README.md').split('\n## What you will see')[1]?.split('\n## ')[0] ?? '';
      const markers = [...section.matchAll(/^<!-- output: (.+) -->\n```text$/gm)].map((m) => m[1] ?? '');
      expect(markers.length, 'an <!-- output: ... --> line just above a ```text fence').toBeGreaterThan(0);
      for (const spec of markers) {
        expect(spec).toMatch(new RegExp(`^([A-Z_]+=\\S* )*pnpm (lesson ${lesson.number}\\b|bench\\b)`));
      }
    });

    // An exercise is found as pnpm exercise finds it (see CONTRIBUTING.md).
    // That it fails as shipped and passes solved is proved in CI: pnpm
    // exercise --self-check.
    it.runIf(hasExercise(lesson))(
      'has an exercise: TODO files named as in src/, their pristine copies, 3 hints, a README section',
      () => {
        const dir = join(lesson.dir, 'exercise');
        const files = exerciseFiles(lesson);
        expect(files.length).toBeGreaterThan(0);
        for (const file of files) {
          expect(existsSync(join(lesson.dir, 'src', file)), `src/${file}, the solution of exercise/${file}`).toBe(true);
          expect(readFileSync(join(dir, '.pristine', `${file}.orig`), 'utf8')).toMatch(/\/\/ TODO\b/);
        }
        const hints = readFileSync(join(dir, 'HINTS.md'), 'utf8').match(/^## Hint \d/gm) ?? [];
        expect(hints).toEqual(['## Hint 1', '## Hint 2', '## Hint 3']);
        const readme = read('README.md');
        expect(readme.indexOf('\n## Exercise\n')).toBeGreaterThan(readme.indexOf('\n## Try it\n'));
        expect(readme.indexOf('\n## Exercise\n')).toBeLessThan(readme.indexOf('\n## Pitfalls\n'));
        expect(readme).toContain(`pnpm exercise ${lesson.number}`);
      },
    );

    it('has a test file that runs the lesson contract', () => {
      const file = join(courseRoot, 'tests', `${lesson.folder}.test.ts`);
      expect(existsSync(file)).toBe(true);
      expect(readFileSync(file, 'utf8')).toMatch(new RegExp(`contractTests\\('${lesson.folder}'`));
    });

    it('says what it shows and what its tests prove, for the course map (package.json, "cluster-course")', () => {
      expect(lesson.shows).toMatch(/\S{3}/);
      expect(lesson.proves).toMatch(/\S{3}/);
      for (const text of [lesson.shows, lesson.proves]) expect(text, 'one table cell').not.toMatch(/\n| \| /);
    });

    it('has a "Try it" that pnpm readme:try can run: steps that parse, a lesson started before it is used, stopped at the end', () => {
      const steps = trySteps(read('README.md'), `lessons/${lesson.folder}/README.md`);
      expect(steps.length, 'try steps (<!-- try: ... --> markers) in "Try it"').toBeGreaterThan(2);
      let running = false;
      for (const step of steps) {
        if (step.kind === 'start') running = true;
        const needs =
          step.kind === 'stop' || step.lesson.length > 0 || (step.kind === 'run' && step.ends !== undefined);
        if (step.kind !== 'start') expect(!needs || running, `line ${step.line} needs a running lesson`).toBe(true);
        if (step.kind === 'stop' || (step.kind === 'run' && step.ends !== undefined)) running = false;
      }
      expect(running, 'the section ends with the lesson stopped').toBe(false);
      // Every ```sh block of the section is a step: nothing a learner types goes unchecked.
      const section = read('README.md').split('\n## Try it\n')[1]?.split('\n## ')[0] ?? '';
      const blocks = section.match(/^```sh$/gm)?.length ?? 0;
      expect(steps.filter((step) => step.kind !== 'stop').length).toBe(blocks);
    });

    it('shows no path of the machine it was written on (pnpm readme:outputs writes <checkout>)', () => {
      expect(read('README.md')).not.toMatch(absoluteCheckoutPath);
    });

    it('cites in "Proved by" only tests that exist', () => {
      const section = read('README.md').split('\n## Proved by')[1]?.split('\n## ')[0] ?? '';
      const cited = section
        .split('\n')
        .filter((line) => line.startsWith('| ') && !line.startsWith('| claim') && !line.startsWith('| ---'))
        .flatMap((line) => [...(line.split(' | ')[1] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? ''))
        // file names, the contract's describe title (built from the folder) and
        // commands (`pnpm readme:try NN`) are not test names
        .filter((name) => !name.endsWith('.ts') && !name.startsWith('lesson contract (') && !name.startsWith('pnpm '))
        // a long name may be cited by its start or its end, with "..."
        .map((name) => name.replace(/^\.\.\.\s*/, '').replace(/,?\s*\.\.\.$/, ''));
      expect(cited.length).toBeGreaterThan(0);
      for (const name of cited) expect(testSources.includes(name), `no test is named like "${name}"`).toBe(true);
    });
  });

  it('the root README has the course map made from the lessons (pnpm readme:outputs map)', () => {
    const readme = readFileSync(join(courseRoot, 'README.md'), 'utf8');
    expect(committedMap(readme).join('\n')).toBe(courseMap(lessons).join('\n'));
  });

  it('the root README and CONTRIBUTING show no path of the machine they were written on', () => {
    for (const file of ['README.md', 'CONTRIBUTING.md']) {
      expect(readFileSync(join(courseRoot, file), 'utf8'), file).not.toMatch(absoluteCheckoutPath);
    }
    expect('    at Immediate.<anonymous> (/work/wt12/lessons/02-exit-and-respawn/src/worker.ts:47:17)').toMatch(
      absoluteCheckoutPath,
    );
    expect('(<checkout>/lessons/02-exit-and-respawn/src/worker.ts:47:17)').not.toMatch(absoluteCheckoutPath);
    expect('[lesson 02](../02-exit-and-respawn/README.md), lessons/01-hello-cluster/README.md').not.toMatch(
      absoluteCheckoutPath,
    );
  });

  it('`pnpm lessons` lists every lesson with its number, title and folder', async () => {
    const { exit, stdout } = await runLesson(courseRoot, { entry: 'shared/src/tools/cli.ts', args: ['lessons'] });
    expect(exit.code).toBe(0);
    for (const lesson of lessons) {
      expect(stdout).toContainEqual(
        expect.stringMatching(new RegExp(`^\\s*${lesson.number}\\s+.*lessons/${lesson.folder}$`)),
      );
      expect(stdout.join('\n')).toContain(lesson.title);
    }
  });
});
