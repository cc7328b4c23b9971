// The course runner behind `pnpm lesson`, `pnpm verify` and `pnpm start`,
// and `pnpm matrix`'s arguments and cleanup.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runLesson, startLesson } from '@cluster-course/shared/harness';
import { fresh } from '@cluster-course/shared/harness/http';
import { courseRoot, lessonDir, listLessons } from '@cluster-course/shared/harness/lessons';
import { waitForGone } from '@cluster-course/shared/harness/proc';
import { binaryPackage, pathMajor } from '@cluster-course/shared/tools/node-binaries';
import { processesWith } from '@cluster-course/shared/tools/suite';
import { describe, expect, it } from 'vitest';

const runner = (...args: string[]) =>
  runLesson(courseRoot, { entry: 'shared/src/tools/cli.ts', args, timeoutMs: 25_000, env: { NO_COLOR: '1' } });

describe('pnpm new lesson', () => {
  const scaffold = (...args: string[]) =>
    runLesson(courseRoot, { entry: 'shared/src/tools/new-lesson.ts', args, env: { NO_COLOR: '1' } });

  // The number the next lesson would take: the bad input names it, and nothing may be made.
  const next = String(listLessons().length + 1).padStart(2, '0');
  // The whole scaffold (it makes a lesson that passes pnpm verify, the course
  // test and pnpm readme:try) is run by .ci/run in a throwaway worktree: here
  // it would add a lesson under the feet of the other test files.
  it.each([
    [['lesson', next, 'Title: x'], new RegExp(`"${next}" is not NN-slug`)],
    [['lesson', `${next}-Redis`, 'Title: x'], /is not NN-slug/],
    [['lesson', `${next}-redis`, 'no colon'], /the title is "Short title: what it shows"/],
    [['lesson', '01-again', 'Again: x'], /lesson 01 exists: lessons\/01-hello-cluster/],
    [['page', `${next}-redis`, 'Title: x'], /"page" is not something pnpm new makes/],
  ])('%j: one line and the usage, exit 2, nothing made', async (args, line) => {
    const { exit, stderr } = await scaffold(...args);
    expect(exit.code).toBe(2);
    expect(stderr[0]).toMatch(line);
    expect(stderr[1]).toMatch(/^usage: pnpm new lesson NN-slug/);
    expect(listLessons().map((l) => l.number)).not.toContain(next);
  });
});

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
        entry: 'shared/src/tools/cli.ts',
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
      entry: 'shared/src/tools/cli.ts',
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

  it('a part the lesson does not have exits 2 and names the parts it has', async () => {
    const two = await runner('lesson', '02', 'nope');
    expect(two.exit.code).toBe(2);
    expect(two.stderr).toEqual(['lesson 02 has no part "nope": its parts are: stranded']);
    const one = await runner('lesson', '01', 'stranded');
    expect(one.exit.code).toBe(2);
    expect(one.stderr).toEqual(['lesson 01 has no part "stranded": it has no parts']);
  });

  it("pnpm lesson 02 stranded runs the part's program: its /crash is the safe crash", async () => {
    const run = await startLesson(courseRoot, {
      entry: 'shared/src/tools/cli.ts',
      args: ['lesson', '02', 'stranded'],
      env: { PORT: '0', WORKERS: '2' },
    });
    const since = run.mark();
    expect((await fresh(new URL('/crash', run.url), { method: 'POST' })).status).toBe(200);
    await run.waitForLine(/is crashing \(POST \/crash: .*\); out of the rotation/, { since });
    run.signal('SIGINT');
    // A busy soak once saw exit code 1 here: the transcript says which stop it was.
    expect(await run.waitForExit(5_000), run.transcript()).toMatchObject({ code: 0 });
  });

  it('lessonDir() of an unknown lesson throws an error that lists the valid ones', () => {
    expect(lessonDir('1')).toMatch(/01-hello-cluster$/);
    const valid = listLessons()
      .map((l) => l.folder)
      .join(', ');
    expect(() => lessonDir('99')).toThrow(`no lesson "99"; the lessons are: ${valid}`);
  });
});

describe('pnpm matrix', () => {
  const matrix = (args: string[], env: Record<string, string> = {}) =>
    runLesson(courseRoot, {
      entry: 'shared/src/tools/matrix.ts',
      args,
      timeoutMs: 60_000,
      env: { NO_COLOR: '1', ...env },
    });

  it.each(['abc', '24 --run-minutes x', '--nodes'])(
    '`pnpm matrix %s` exits 2 with one line saying what is wrong, and the usage',
    async (args) => {
      const { exit, stdout, stderr } = await matrix(args.split(' '));
      expect(exit.code).toBe(2);
      expect(stdout).toEqual([]);
      expect(stderr).toHaveLength(3); // what is wrong, then the two lines of usage
      expect(stderr[1]).toMatch(/^usage: pnpm matrix \[major \.\.\.\]/);
      expect(stderr.join('\n')).not.toMatch(/\n\s+at /);
    },
  );

  it('a major the registry does not have is one clear line and a row in the table, exit 1, no stack trace', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'node-cache-'));
    try {
      const { exit, stdout, stderr } = await matrix(['99', '--', 'tests/course.test.ts'], {
        CLUSTER_COURSE_NODE_CACHE: cache,
      });
      expect(exit.code).toBe(1);
      const text = stdout.join('\n');
      expect(text).toContain(`99: Node.js 99: cannot install ${binaryPackage()}@99 (the npm registry has no`);
      expect(text).toMatch(/^\| 99 +\| not installed \|/m);
      expect(text).toContain('matrix summary: 0/1 majors green');
      expect(`${text}\n${stderr.join('\n')}`).not.toMatch(/\n\s+at /);
      expect(readdirSync(cache)).toEqual([]); // nothing half-installed is kept
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('runs the selected tests on the Node.js asked for and reports them in the table', async () => {
    const { exit, stdout } = await matrix([String(pathMajor), '--', 'tests/course.test.ts', '-t', 'numbered']);
    const text = stdout.join('\n');
    expect(exit.code, text).toBe(0);
    expect(text).toMatch(
      new RegExp(`^\\| ${pathMajor} +\\| ${process.version.replaceAll('.', '\\.')} +\\| 1 +\\| 0 +\\|`, 'm'),
    );
    expect(text).toContain('matrix summary: 1/1 majors green');
  });

  it('Ctrl-C (SIGINT) stops the run: the matrix exits 130 and no process it started is left', async () => {
    // Every process the run starts inherits this variable: that is how we find them all.
    const marker = `matrix-test-${process.pid}-${Date.now()}`;
    const run = await startLesson(courseRoot, {
      entry: 'shared/src/tools/matrix.ts',
      args: [String(pathMajor), '--', 'tests/01-hello-cluster.test.ts'],
      env: { NO_COLOR: '1', MATRIX_TEST_MARKER: marker },
      waitForReady: false,
    });
    // Wait until the suite has a lesson running, as deep as the tree goes.
    const lessonsRunning = () =>
      processesWith(`MATRIX_TEST_MARKER=${marker}`).filter((pid) => cmdline(pid).includes('01-hello-cluster/src/'));
    await until(() => lessonsRunning().length > 0, 30_000);
    run.signal('SIGINT');
    expect(await run.waitForExit(5_000)).toMatchObject({ code: 130 });
    await until(() => processesWith(`MATRIX_TEST_MARKER=${marker}`).length === 0, 5_000);
  });
});

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/** Resolves once `condition` holds; fails the test if it still does not after `timeoutMs`. */
async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`still not true after ${timeoutMs} ms: ${condition}`);
    await sleep(50);
  }
}
