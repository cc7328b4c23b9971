// The course runner behind `pnpm lesson`, `pnpm verify` and `pnpm start`.
import { runLesson, startLesson } from '@cluster-course/shared/harness';
import { fresh } from '@cluster-course/shared/http';
import { courseRoot, lessonDir, listLessons } from '@cluster-course/shared/lessons';
import { waitForGone } from '@cluster-course/shared/proc';
import { describe, expect, it } from 'vitest';

const runner = (...args: string[]) =>
  runLesson(courseRoot, { entry: 'shared/src/cli.ts', args, timeoutMs: 25_000, env: { NO_COLOR: '1' } });

describe('the course runner', () => {
  it('`pnpm lesson 01 --demo` runs the demo, prints its table and exits 0', async () => {
    const { exit, stdout, stderr } = await runner('lesson', '01', '--demo');
    expect(stderr).toEqual([]);
    expect(exit.code).toBe(0);
    const text = stdout.join('\n');
    expect(text).toMatch(/request\s+worker\s+pid/);
    expect(text).toMatch(/1 worker answered all 8/);
    expect(text).toMatch(/exited with code 0/);
  });

  it.each(['1', '01', 'hello-cluster', '01-hello-cluster'])(
    '`pnpm lesson %s` runs lesson 01 in the foreground; Ctrl-C (SIGINT) stops all of it with exit 0',
    async (query) => {
      const run = await startLesson(courseRoot, {
        entry: 'shared/src/cli.ts',
        args: ['lesson', query],
        env: { PORT: '0', WORKERS: '2' },
      });
      const primary = Number((await run.waitForLine(/Primary (\d+) is running/))[1]);
      const workers = (await run.waitForLines(/Worker (\d+) started/, 2)).map((m) => Number(m[1]));
      expect((await fresh(run.url)).status).toBe(200);
      run.signal('SIGINT');
      expect(await run.waitForExit(5_000)).toMatchObject({ code: 0 });
      expect(await waitForGone([primary, ...workers], 1_000)).toBe(true);
    },
  );

  it('if the runner is killed outright (SIGKILL), the lesson it started stops by itself', async () => {
    const run = await startLesson(courseRoot, {
      entry: 'shared/src/cli.ts',
      args: ['lesson', '01'],
      env: { PORT: '0', WORKERS: '2' },
    });
    const primary = Number((await run.waitForLine(/Primary (\d+) is running/))[1]);
    const workers = (await run.waitForLines(/Worker (\d+) started/, 2)).map((m) => Number(m[1]));
    // Only the runner: the lesson runs in a process group of its own, which
    // no kill of ours reaches. Its stdin lifeline closes and it stops.
    run.signal('SIGKILL');
    await run.exited;
    expect(await waitForGone([primary, ...workers], 5_000)).toBe(true);
  });

  it('an unknown lesson exits 2 and lists the valid ones', async () => {
    const { exit, stderr } = await runner('lesson', '99');
    expect(exit.code).toBe(2);
    const text = stderr.join('\n');
    expect(text).toContain('unknown lesson "99"');
    for (const lesson of listLessons()) expect(text).toContain(lesson.folder);
  });

  it('lessonDir() of an unknown lesson throws an error that lists the valid ones', () => {
    expect(lessonDir('1')).toMatch(/01-hello-cluster$/);
    const valid = listLessons()
      .map((l) => l.folder)
      .join(', ');
    expect(() => lessonDir('99')).toThrow(`no lesson "99"; the lessons are: ${valid}`);
  });
});
