// The course map of the root README, made from the lessons themselves: the
// title is each package's description (the part before its colon), what it
// shows and what its tests prove are its package.json's "cluster-course"
// field. `pnpm readme:outputs map` writes it under its marker line;
// tests/course.test.ts fails when the committed map differs.
import type { Lesson } from '../harness/lessons.ts';

export const MAP_MARKER = "<!-- course map: made from each lesson's package.json by `pnpm readme:outputs map` -->";

/** The map, as markdown table lines. */
export function courseMap(lessons: Lesson[]): string[] {
  const rows = lessons.map((lesson) => {
    const short = lesson.title.split(':')[0]?.trim() ?? lesson.title;
    const link = `[${short}](lessons/${lesson.folder}/README.md) (\`lessons/${lesson.folder}\`)`;
    return `| ${lesson.number} | ${link} | ${lesson.shows} | ${lesson.proves} |`;
  });
  return ['| # | lesson | what it shows | what its tests prove |', '| --- | --- | --- | --- |', ...rows];
}

/** Where the map stands in a README: the table just below the marker line. */
function mapLines(lines: string[]): { start: number; end: number } {
  const marker = lines.indexOf(MAP_MARKER);
  if (marker === -1) throw new Error(`the root README has no line ${MAP_MARKER}`);
  let end = marker + 1;
  while (lines[end]?.startsWith('|')) end++;
  return { start: marker + 1, end };
}

/** The map as the README has it now. */
export function committedMap(readme: string): string[] {
  const lines = readme.split('\n');
  const { start, end } = mapLines(lines);
  return lines.slice(start, end);
}

/** The README with its map made anew. */
export function withCourseMap(readme: string, lessons: Lesson[]): string {
  const lines = readme.split('\n');
  const { start, end } = mapLines(lines);
  lines.splice(start, end - start, ...courseMap(lessons));
  return lines.join('\n');
}
