// What `pnpm exercise NN` says before it runs anything: the mistakes a mentor
// spots by reading the learner's files (shared/src/tools/exercise/mistakes/).
// Each rule stays silent on every solution, and says its sentence about each
// known-wrong solution of a lesson's mentor.ts that is made to show it. (The
// words said after a failed claim take a run of the lesson each: pnpm
// exercise --self-check proves those, in CI.)
import { join } from 'node:path';
import { listLessons } from '@cluster-course/shared/harness/lessons';
import { hasExercise } from '@cluster-course/shared/tools/exercise/files';
import { whatIsSaid } from '@cluster-course/shared/tools/exercise/known-wrong';
import { loadMentor } from '@cluster-course/shared/tools/exercise/mentor';
import { readMistakes } from '@cluster-course/shared/tools/exercise/mistakes/read';
import { describe, expect, it } from 'vitest';

const exercises = listLessons().filter(hasExercise);

describe.each(exercises.map((l) => [l.folder, l] as const))('exercise %s, read before it runs', (_, lesson) => {
  it('a mentor finds nothing to say about the solution (src/)', async () => {
    expect(await readMistakes(lesson, join(lesson.dir, 'src'))).toEqual({ mistakes: [] });
  });

  it('each known-wrong solution said before it runs gets its sentence, with the line', async () => {
    const mentor = await loadMentor(lesson);
    for (const wrong of mentor.wrong.filter((w) => w.when === 'read')) {
      const said = await whatIsSaid(lesson, mentor, wrong);
      expect(said, wrong.name).toMatchObject({ ok: true, said: expect.stringMatching(/^exercise\/\S+:\d+: /) });
    }
  });
});
