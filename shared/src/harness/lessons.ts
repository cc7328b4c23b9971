// The course's table of contents comes from the workspace itself: every
// folder lessons/NN-slug with a package.json is a lesson, ordered by NN, its
// package description is its title, and its "cluster-course" field says what
// it shows and what its tests prove (the root README's course map is made
// from them: shared/src/tools/course-map.ts). Nothing else to keep in sync.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const courseRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const lessonsRoot = join(courseRoot, 'lessons');

export interface Lesson {
  /** Two digits, e.g. `01`. */
  number: string;
  /** e.g. `hello-cluster` */
  slug: string;
  /** e.g. `01-hello-cluster` */
  folder: string;
  /** The package description: the lesson's one-line title. */
  title: string;
  /** Absolute path of the lesson folder. */
  dir: string;
  /** For the course map: what the lesson shows, and what its tests prove (markdown, one line each). */
  shows: string;
  proves: string;
}

interface LessonPackage {
  description?: string;
  'cluster-course'?: { shows?: string; proves?: string };
}

export function listLessons(): Lesson[] {
  if (!existsSync(lessonsRoot)) return [];
  return readdirSync(lessonsRoot)
    .filter((folder) => /^\d{2}-[a-z0-9-]+$/.test(folder))
    .filter((folder) => existsSync(join(lessonsRoot, folder, 'package.json')))
    .sort()
    .map((folder) => {
      const dir = join(lessonsRoot, folder);
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as LessonPackage;
      const { shows = '', proves = '' } = pkg['cluster-course'] ?? {};
      return {
        number: folder.slice(0, 2),
        slug: folder.slice(3),
        folder,
        title: pkg.description ?? '',
        dir,
        shows,
        proves,
      };
    });
}

/** Accepts `1`, `01`, `hello-cluster` or `01-hello-cluster`. */
export function findLesson(query: string): Lesson | undefined {
  const q = query.trim().toLowerCase();
  const asNumber = /^\d{1,2}$/.test(q) ? q.padStart(2, '0') : undefined;
  return listLessons().find((l) => l.number === asNumber || l.slug === q || l.folder === q);
}

/**
 * A lesson's parts: folders beside src/ with a program of their own
 * (`<part>/src/main.ts`), run with `pnpm lesson <n> <part>`; e.g. lesson
 * 02's `stranded`.
 */
export function partsOf(lesson: Lesson): string[] {
  return readdirSync(lesson.dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== 'src' && existsSync(join(lesson.dir, e.name, 'src/main.ts')))
    .map((e) => e.name)
    .sort();
}

/** The lesson for a query, or an error that lists the valid ones. */
export function lessonDir(query: string): string {
  const lesson = findLesson(query);
  if (!lesson) {
    const valid = listLessons().map((l) => l.folder);
    throw new Error(`no lesson "${query}"; the lessons are: ${valid.join(', ')}`);
  }
  return lesson.dir;
}
