// Checking an exercise: the lesson's own test file (tests/NN-slug.test.ts),
// run by vitest with CLUSTER_COURSE_EXERCISE naming the lesson, so the
// harness starts the lesson with the learner's files (see hooks.mjs). The
// run stops at the first failed claim (--bail 1): that one is what to fix
// next, and a failing check answers in seconds. A passing one has run every
// claim of the lesson (on 2 cores and Node.js 26, 12 to 16 s for lesson 01,
// 23 to 28 s for 02, 83 to 86 s for 14 with its Redis and nginx: `pnpm timing`).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOOK_ENV } from '../../harness/hook-env.ts';
import { courseRoot, type Lesson } from '../../harness/lessons.ts';
import { exerciseDir } from './files.ts';

export interface Claim {
  name: string;
  /** Its describe blocks' names and its own, joined by spaces (what vitest -t matches). */
  fullName: string;
  status: 'passed' | 'failed' | 'skipped' | 'pending' | 'todo';
  message: string;
}

export interface CheckResult {
  passed: boolean;
  claims: Claim[];
  /** False when the check was interrupted (Ctrl-C, --watch restarting it). */
  finished: boolean;
}

interface VitestReport {
  testResults: {
    assertionResults: {
      title: string;
      fullName: string;
      ancestorTitles: string[];
      status: Claim['status'];
      failureMessages: string[];
    }[];
  }[];
}

export interface CheckOptions {
  /** Where the learner's files are; default the lesson's exercise/. */
  exerciseDir?: string;
  /** Aborting it kills the run (and every lesson it started). */
  signal?: AbortSignal;
  /** Check every claim instead of stopping at the first failure. */
  all?: boolean;
  /**
   * Run the claims one at a time, in the file's order, even those of a
   * describe.concurrent block. Side by side, the first claim to fail in time
   * stops the rest (--bail), and which one that is can change from run to
   * run; one at a time, it is always the first that fails in the file.
   */
  oneAtATime?: boolean;
}

export async function checkExercise(lesson: Lesson, options: CheckOptions = {}): Promise<CheckResult> {
  const first = await runClaims(lesson, options, options.oneAtATime ?? false);
  if (!first.finished || first.passed || options.all || options.oneAtATime) return first;
  // Side by side, the claim that failed first in time stops the run; claims
  // before it in the file may not have finished. Run those (and it) again,
  // one at a time, so the answer is always the first claim in the file that
  // fails, as in a run one at a time, while a passing check stays quick.
  const failedAt = first.claims.findIndex((c) => c.status === 'failed');
  const unsure = first.claims.slice(0, failedAt + 1).filter((c) => c.status !== 'passed');
  if (unsure.length <= 1) return first;
  const again = await runClaims(lesson, options, true, unsure);
  if (!again.finished) return again;
  const redone = new Map(again.claims.filter((c) => c.status !== 'skipped').map((c) => [c.name, c]));
  // A failure stays one, even if the claim passes when run alone.
  return { ...first, claims: first.claims.map((c) => (c.status === 'failed' ? c : (redone.get(c.name) ?? c))) };
}

/** One vitest run of the lesson's test file; `only` limits it to those claims. */
async function runClaims(lesson: Lesson, options: CheckOptions, oneAtATime: boolean, only?: Claim[]) {
  const out = mkdtempSync(join(tmpdir(), 'exercise-'));
  const report = join(out, 'report.json');
  const args = ['run', `tests/${lesson.folder}.test.ts`, '--reporter=json', `--outputFile=${report}`];
  if (!options.all) args.push('--bail=1');
  if (only) args.push('-t', `(^|\\s)(${only.map((c) => literally(c.fullName)).join('|')})$`);
  const env: NodeJS.ProcessEnv = { ...process.env, [HOOK_ENV.exercise]: lesson.folder, NO_COLOR: '1' };
  env[HOOK_ENV.exerciseDir] = options.exerciseDir ?? exerciseDir(lesson);
  if (oneAtATime) env.CLAIMS_AT_ONCE = '1'; // read by vitest.config.ts
  // Its own process group: a stop kills vitest and everything under it.
  const child = spawn(join(courseRoot, 'node_modules/.bin/vitest'), args, {
    cwd: courseRoot,
    env,
    detached: true,
    stdio: 'ignore',
  });
  const stop = () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  options.signal?.addEventListener('abort', stop, { once: true });
  try {
    const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
    if (options.signal?.aborted || signal) return { passed: false, claims: [], finished: false };
    const parsed = JSON.parse(readFileSync(report, 'utf8')) as VitestReport;
    const claims = parsed.testResults.flatMap((file) =>
      file.assertionResults.map((test) => ({
        name: [...test.ancestorTitles.slice(1), test.title].join(' › '),
        fullName: test.fullName,
        status: test.status,
        message: test.failureMessages[0] ?? '',
      })),
    );
    // Skipped claims (one that does not apply on this platform) are no failure.
    const passed =
      code === 0 && claims.some((c) => c.status === 'passed') && !claims.some((c) => c.status === 'failed');
    return { passed, claims, finished: true };
  } finally {
    options.signal?.removeEventListener('abort', stop);
    rmSync(out, { recursive: true, force: true });
  }
}

const literally = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
