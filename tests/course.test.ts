// The course checks itself: every lesson folder follows the layout and the
// README shape of ../shared/COURSE.md, has its test file, and runs the lesson
// contract from it; the runner lists every lesson.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runLesson } from '@cluster-course/shared/harness';
import { courseRoot, listLessons } from '@cluster-course/shared/lessons';
import { describe, expect, it } from 'vitest';

const lessons = listLessons();
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
      for (const file of ['package.json', 'README.md', 'src/main.ts', 'src/demo.ts', 'tsconfig.json']) {
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

    it('has a test file that runs the lesson contract', () => {
      const file = join(courseRoot, 'tests', `${lesson.folder}.test.ts`);
      expect(existsSync(file)).toBe(true);
      expect(readFileSync(file, 'utf8')).toMatch(new RegExp(`contractTests\\('${lesson.folder}'`));
    });

    it('is on the course map of the root README', () => {
      const readme = readFileSync(join(courseRoot, 'README.md'), 'utf8');
      expect(readme).toContain(`lessons/${lesson.folder}`);
    });
  });

  it('`pnpm lessons` lists every lesson with its number, title and folder', async () => {
    const { exit, stdout } = await runLesson(courseRoot, { entry: 'shared/src/cli.ts', args: ['lessons'] });
    expect(exit.code).toBe(0);
    for (const lesson of lessons) {
      expect(stdout).toContainEqual(
        expect.stringMatching(new RegExp(`^\\s*${lesson.number}\\s+.*lessons/${lesson.folder}$`)),
      );
      expect(stdout.join('\n')).toContain(lesson.title);
    }
  });
});
