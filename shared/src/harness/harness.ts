// The process harness: how tests, demos and the course runner start a lesson,
// wait for it, talk about it and stop it. This file launches it; the running
// lesson is lesson-process.ts, its output and the waits for a line output.ts.
//
// - The lesson runs as `node --import tsx <entry>` in its own folder, with no
//   wrapper process in between, so the pid we hold is the primary's.
// - It runs in its own process group (detached), so one kill(-pgid) reaches
//   the primary, its workers and anything they started.
// - Readiness is the ready line, never a sleep.
// - Every path ends in killing the group: stop(), a failed start, a timeout,
//   the end of the test that started it (owningLessons()), and our own exit.
//   If we are killed outright, the lesson's lifeline (see lifeline.ts) stops it.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LIFELINE_ENV } from '../runtime/lifeline.ts';
import { HOOK_ENV } from './hook-env.ts';
import { LessonProcess } from './lesson-process.ts';
import { LINE_WAIT_MS } from './output.ts';
import { recordReady } from './ready-log.ts';
import { track } from './registry.ts';

export { LessonProcess } from './lesson-process.ts';
export { describeExit, type ExitInfo, type OutputLine } from './output.ts';
export { killAllLessons, owningLessons, whenTestEnds } from './registry.ts';

export interface StartOptions {
  /** Extra environment, merged over ours. `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  /** Entry file inside the lesson folder; default `src/main.ts`. */
  entry?: string;
  /** Arguments after the entry file. */
  args?: string[];
  /** Wait for the ready line before resolving (default true). */
  waitForReady?: boolean;
  /** How long the ready line may take; default 20 s. */
  readyTimeoutMs?: number;
  /** Mirror the lesson's output onto ours (the runner uses this). */
  echo?: boolean;
  /**
   * Tests only: hold the worker with this id before its code runs (see
   * hold-worker.ts). It prints one `held before its code runs` line.
   */
  holdWorker?: number;
  /** Tests only: pause this worker before its code runs, until it gets SIGUSR2 (hold-worker.ts). */
  pauseWorker?: number;
  /**
   * Tests only: the cluster worker with this id stops itself (SIGSTOP) right
   * after it has asked the primary to listen (hold-worker.ts).
   */
  stopAfterListenRequest?: number;
  /**
   * Tests only: hold every worker thread (lesson 10's pool) before its code
   * runs (hold-threads.mjs). Each prints one `thread N ... held` line.
   */
  holdThreads?: boolean;
  /**
   * Tests only, with holdWorker or pauseWorker, for a lesson that forks its
   * own workers: the variable that carries each one's id (lesson 05:
   * BROKER_WORKER_ID). Cluster workers need none.
   */
  workerIdEnv?: string;
  /** Tests only: stop the primary after it hands over a WebSocket upgrade, the worker after its 101 (freeze-upgrade.ts). */
  freezeUpgrade?: boolean;
  /** Tests only: the primary prints a line for each socket it hands to a worker (log-hand-offs.ts). */
  logHandOffs?: boolean;
  /**
   * `false`: run the .ts files with Node.js's own type stripping (22.18+)
   * instead of tsx's loader. Default true.
   */
  tsx?: boolean;
  /**
   * Start the lesson through this command, which must exec node with the
   * arguments after it (`sh -c '... exec "$0" "$@"'`): e.g. `unshare --net`.
   */
  wrap?: string[];
}

/** Names the lesson folder whose exercise runs instead of its src/ (`pnpm exercise NN`). */
export const EXERCISE_ENV = HOOK_ENV.exercise;

const readyPattern = /\bready\b.*?\b((?:https?|tcp):\/\/[^\s)]+)/;

/**
 * A lesson's module as a test should import it: `lessons/<folder>/src/<file>`,
 * or the learner's copy while `pnpm exercise` checks that lesson.
 */
export function lessonModule(folder: string, file: string): string {
  const dir = join(fileURLToPath(new URL('../../../lessons', import.meta.url)), folder);
  if (process.env[EXERCISE_ENV] === folder) {
    const mine = join(process.env[HOOK_ENV.exerciseDir] || join(dir, 'exercise'), file);
    if (existsSync(mine)) return mine;
  }
  return join(dir, 'src', file);
}

/** Start a lesson (by folder) and, unless told otherwise, wait for its ready line. */
export async function startLesson(dir: string, options: StartOptions = {}): Promise<LessonProcess> {
  const { entry = 'src/main.ts', args = [], waitForReady = true, echo = false } = options;
  // The same wait for a learner's files as for src/'s: a shorter one failed a
  // right solution on a busy machine. A lesson that ends before its ready
  // line ends the wait at once; only one that hangs silent waits it out.
  const readyTimeoutMs = options.readyTimeoutMs ?? LINE_WAIT_MS;
  const env: NodeJS.ProcessEnv = { ...process.env, [LIFELINE_ENV]: '1' };
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  const hooked = Boolean(options.holdWorker || options.pauseWorker || options.stopAfterListenRequest);
  const hook = hooked ? ['--import', fileURLToPath(new URL('./hold-worker.ts', import.meta.url))] : [];
  if (options.freezeUpgrade) {
    env[HOOK_ENV.freezeUpgrade] = '1';
    hook.push('--import', fileURLToPath(new URL('./freeze-upgrade.ts', import.meta.url)));
  }
  if (options.logHandOffs) {
    env[HOOK_ENV.logHandOffs] = '1';
    hook.push('--import', fileURLToPath(new URL('./log-hand-offs.ts', import.meta.url)));
  }
  // `pnpm exercise NN`: the lesson runs with the learner's files (shared/src/tools/exercise/).
  if (process.env[EXERCISE_ENV] && process.env[EXERCISE_ENV] === basename(dir)) {
    env[HOOK_ENV.exerciseSrc] = join(dir, 'src');
    env[HOOK_ENV.exerciseDir] = process.env[HOOK_ENV.exerciseDir] || join(dir, 'exercise');
    hook.push('--import', fileURLToPath(new URL('../tools/exercise/register.mjs', import.meta.url)));
  }
  if (options.holdWorker) env[HOOK_ENV.hold] = String(options.holdWorker);
  if (options.pauseWorker) env[HOOK_ENV.pause] = String(options.pauseWorker);
  if (options.stopAfterListenRequest) env[HOOK_ENV.stopAfterListenRequest] = String(options.stopAfterListenRequest);
  if (options.workerIdEnv) env[HOOK_ENV.workerIdFrom] = options.workerIdEnv;
  if (options.holdThreads) {
    env[HOOK_ENV.holdThreads] = '1';
    hook.push('--import', fileURLToPath(new URL('./hold-threads.mjs', import.meta.url)));
  }
  const loader = options.tsx === false ? [] : ['--import', 'tsx'];
  const command = [...(options.wrap ?? []), process.execPath, ...loader, ...hook, join(dir, entry), ...args];
  const child = spawn(command[0] ?? process.execPath, command.slice(1), {
    cwd: dir,
    env,
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const spawned = performance.now();
  const lesson = track((forget) => new LessonProcess(child, echo, forget));
  if (!waitForReady) return lesson;
  try {
    const match = await lesson.waitForLine(readyPattern, { timeoutMs: readyTimeoutMs });
    recordReady(dir, performance.now() - spawned, readyTimeoutMs);
    lesson.url = match[1] ?? '';
    lesson.port = Number(new URL(lesson.url).port);
  } catch (err) {
    await lesson.dispose();
    throw err;
  }
  return lesson;
}

/** Start, wait for the exit (no ready line expected), and return output and exit. */
export async function runLesson(dir: string, options: StartOptions & { timeoutMs?: number } = {}) {
  const lesson = await startLesson(dir, { ...options, waitForReady: false });
  try {
    const exit = await lesson.waitForExit(options.timeoutMs ?? 20_000);
    return { exit, stdout: lesson.stdout(), stderr: lesson.stderr(), lesson };
  } finally {
    await lesson.dispose();
  }
}
