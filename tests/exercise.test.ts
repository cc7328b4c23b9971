// `pnpm exercise`: the list, the check, --hint, --reset, --solution and
// --watch, run as the learner runs them. Every test works on copies of the
// exercises in a temporary CLUSTER_COURSE_EXERCISE_HOME, so a learner's own
// work in lessons/*/exercise/ is never touched by the suite.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLesson, startLesson } from '@cluster-course/shared/harness';
import { courseRoot, listLessons } from '@cluster-course/shared/harness/lessons';
import { exerciseFiles } from '@cluster-course/shared/tools/exercise/files';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const lesson01 = listLessons().find((l) => l.number === '01');
if (!lesson01) throw new Error('lesson 01 is missing');
const withExercise = listLessons().filter((l) => readdirSync(l.dir).includes('exercise'));
let home = '';

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'exercises-'));
  // Like the lessons' folders: the copies' .ts files are ES modules.
  writeFileSync(join(home, 'package.json'), '{ "type": "module" }\n');
  for (const l of withExercise) cpSync(join(l.dir, 'exercise'), join(home, l.folder), { recursive: true });
  // Start from shipped files and no progress, whatever the learner has done.
  for (const l of withExercise) {
    rmSync(join(home, l.folder, '.state.json'), { force: true });
    for (const file of exerciseFiles(l))
      cpSync(join(home, l.folder, '.pristine', `${file}.orig`), join(home, l.folder, file));
  }
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const exercise = (args: string[], timeoutMs = 60_000) =>
  runLesson(courseRoot, {
    entry: 'shared/src/tools/exercise/cli.ts',
    args,
    timeoutMs,
    env: { NO_COLOR: '1', CLUSTER_COURSE_EXERCISE_HOME: home },
  });
const primary = () => join(home, '01-hello-cluster', 'primary.ts');

/** Vitest runs started by a check that uses this test's exercise home. */
function checksRunning(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, 'utf8').includes(`CLUSTER_COURSE_EXERCISE_HOME=${home}\0`);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('pnpm exercise', () => {
  it('lists every lesson with an exercise/ folder, in order, none done, 01 next', async () => {
    const numbers = withExercise.map((l) => l.number);
    expect(numbers.slice(0, 8)).toEqual(['01', '02', '03', '04', '05', '06', '07', '08']);
    const { exit, stdout } = await exercise([]);
    expect(exit.code).toBe(0);
    const rows = stdout.filter((line) => /^\s+\d\d\s/.test(line));
    expect(rows.map((row) => row.trim().slice(0, 2))).toEqual(numbers);
    expect(rows[0]).toMatch(/next/);
    expect(stdout).toContainEqual(
      expect.stringMatching(new RegExp(`^0 of ${numbers.length} exercises done: part I .*0 of 8`)),
    );
    expect(stdout).toContain('Next: read lessons/01-hello-cluster/README.md, then pnpm exercise 01');
  });

  it('counts a passed exercise per part, and sends the learner on to the next', async () => {
    writeFileSync(
      join(home, '01-hello-cluster', '.state.json'),
      JSON.stringify({ hintsShown: 0, lastCheck: { passed: true, at: new Date().toISOString() } }),
    );
    const { stdout } = await exercise([]);
    expect(stdout.find((line) => /^\s+01\s/.test(line))).toMatch(/done/);
    expect(stdout).toContainEqual(expect.stringMatching(/exercises done: part I \(one machine, by hand\) 1 of 8/));
    expect(stdout).toContain('Next: read lessons/02-exit-and-respawn/README.md, then pnpm exercise 02');
  });

  it('checks 01 as shipped: exit 1, the failed claim in plain words, the TODOs, within 30 s', async () => {
    const started = Date.now();
    const { exit, stdout } = await exercise(['01']);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(exit.code).toBe(1);
    const text = stdout.join('\n');
    expect(text).toMatch(/✗ the ready line waits for the last worker/);
    expect(text).toContain('The lesson ended (code 1) before');
    expect(text).toContain('TODO 1 in exercise/primary.ts: no worker was forked');
    expect(text).toMatch(/exercise\/primary\.ts:\d+ {2}TODO 1/);
    expect(text).toContain('pnpm exercise 01 --hint');
  });

  it('--hint gives the hints one step at a time, then says it was the last', async () => {
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) seen.push((await exercise(['01', '--hint'])).stdout.join('\n'));
    expect(seen[0]).toMatch(/^Hint 1/);
    expect(seen[1]).toMatch(/^Hint 2/);
    expect(seen[2]).toMatch(/^Hint 3[\s\S]*That was the last hint/);
    expect(seen[3]).toMatch(/^Hint 3/);
  });

  it('--reset asks for --yes before overwriting a change, then restores the file as shipped', async () => {
    const shipped = readFileSync(primary(), 'utf8');
    writeFileSync(primary(), `${shipped}// my change\n`);
    const refused = await exercise(['01', '--reset']);
    expect(refused.exit.code).toBe(1);
    expect(refused.stderr.join('\n')).toContain('Run again with --yes');
    expect(readFileSync(primary(), 'utf8')).toContain('// my change');
    const done = await exercise(['01', '--reset', '--yes']);
    expect(done.exit.code).toBe(0);
    expect(readFileSync(primary(), 'utf8')).toBe(shipped);
  });

  it('says what a mentor reads in the file before the check, with the line: os.cpus().length for the workers', async () => {
    const solved = readFileSync(join(lesson01.dir, 'src', 'primary.ts'), 'utf8')
      .replace("import { availableParallelism } from 'node:os';", "import os, { availableParallelism } from 'node:os';")
      .replace('i < config.workers; i++', 'i < os.cpus().length; i++');
    writeFileSync(primary(), solved);
    const { stdout } = await exercise(['01']);
    const reading = stdout.findIndex((line) => /^A mentor reading exercise\/primary\.ts:\d+ says:$/.test(line));
    expect(reading).toBeGreaterThanOrEqual(0);
    expect(stdout[reading + 1]).toMatch(/^ {2}os\.cpus\(\)\.length counts every CPU of the machine/);
    expect(reading).toBeLessThan(stdout.findIndex((line) => /^ {2}[✓✗] /.test(line))); // before the claims
    // The check after the reading runs in full: side by side, then the claim
    // before the first failure again, which waits 10 s for a worker 3 that
    // never comes. On a busy machine that passed 30 s.
  }, 60_000);

  it('--solution asks first, and with --yes shows a unified diff from exercise/ to src/', async () => {
    const asked = await exercise(['01', '--solution']);
    expect(asked.exit.code).toBe(1);
    expect(asked.stdout).toContain('You have not checked exercise 01 yet: pnpm exercise 01');
    const { exit, stdout } = await exercise(['01', '--solution', '--yes']);
    expect(exit.code).toBe(0);
    expect(stdout).toContain('--- exercise/primary.ts');
    expect(stdout).toContain('+++ src/primary.ts');
    expect(stdout).toContainEqual(expect.stringMatching(/^\+\s+for \(let i = 0; i < config\.workers; i\+\+\)/));
  });

  it('--solution once the exercise passed: the diff, without a question', async () => {
    writeFileSync(
      join(home, '01-hello-cluster', '.state.json'),
      JSON.stringify({ hintsShown: 0, lastCheck: { passed: true, at: new Date().toISOString() } }),
    );
    const { exit, stdout } = await exercise(['01', '--solution']);
    expect(exit.code).toBe(0);
    expect(stdout).toContain('--- exercise/primary.ts');
  });

  it('--watch re-checks on a save, and Ctrl-C stops it with nothing left running', async () => {
    const watch = await startLesson(courseRoot, {
      entry: 'shared/src/tools/exercise/cli.ts',
      args: ['01', '--watch'],
      waitForReady: false,
      env: { NO_COLOR: '1', CLUSTER_COURSE_EXERCISE_HOME: home },
    });
    await watch.waitForLine(/Watching exercise\/ for changes/, { timeoutMs: 30_000 });
    const since = watch.mark();
    writeFileSync(primary(), `${readFileSync(primary(), 'utf8')}// saved again\n`);
    await watch.waitForLine(/Checking exercise 01/, { since, timeoutMs: 10_000 });
    watch.signal('SIGINT'); // mid-check: the check must be stopped too
    expect((await watch.waitForExit(10_000)).code).toBe(0);
    for (let i = 0; i < 100 && checksRunning().length > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(checksRunning()).toEqual([]);
  });

  // What CI runs on the end-of-life major (.ci/run): the files as shipped
  // fail only if the loader hook put them in place of src/'s.
  it('--self-check --shipped-only: 01 as shipped fails a claim, and nothing more is run', async () => {
    const { exit, stdout } = await exercise(['--self-check', '--shipped-only', '01']);
    expect(exit.code, stdout.join('\n')).toBe(0);
    expect(stdout[0]).toMatch(
      /^ok {3}exercise 01: as shipped fails "the ready line waits for the last worker[^"]*" \(\d+ s\)$/,
    );
    expect(stdout.join('\n')).not.toMatch(/solved passes|known wrong/);
    expect(stdout.at(-1)).toBe('1 of 1 exercises fail as shipped (their files are the ones loaded)');
  });

  it('an unknown exercise exits 2 with one line', async () => {
    const { exit, stderr } = await exercise(['99']);
    expect(exit.code).toBe(2);
    const numbers = withExercise.map((l) => l.number).join(', '); // the lessons that have one
    expect(stderr).toEqual([`no exercise "99": pnpm exercise takes one of ${numbers}`]);
  });
});
