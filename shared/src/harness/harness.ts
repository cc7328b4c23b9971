// The process harness: how tests, demos and the course runner start a lesson,
// wait for it, talk about it and stop it.
//
// - The lesson runs as `node --import tsx <entry>` in its own folder, with no
//   wrapper process in between, so the pid we hold is the primary's.
// - It runs in its own process group (detached), so one kill(-pgid) reaches
//   the primary, its workers and anything they started.
// - Readiness is the ready line, never a sleep.
// - Every path ends in killing the group: stop(), a failed start, a timeout,
//   killAllLessons() after each test, and our own exit. If we are killed
//   outright, the lesson's lifeline (see lifeline.ts) stops it.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LIFELINE_ENV } from '../runtime/lifeline.ts';
import { HOOK_ENV } from './hook-env.ts';
import { groupMembers, waitForGroupGone } from './proc.ts';

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
   * Tests only, with holdWorker or pauseWorker, for a lesson that forks its
   * own workers: the variable that carries each one's id (lesson 05:
   * BROKER_WORKER_ID). Cluster workers need none.
   */
  workerIdEnv?: string;
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

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Milliseconds from the stop request (or start) to the exit. */
  ms: number;
}

export interface OutputLine {
  stream: 'stdout' | 'stderr';
  text: string;
}

const live = new Set<LessonProcess>();
/** Names the lesson folder whose exercise runs instead of its src/ (`pnpm exercise NN`). */
export const EXERCISE_ENV = HOOK_ENV.exercise;

export class LessonProcess {
  readonly pid: number;
  /** The URL from the ready line (empty until ready). */
  url = '';
  /** The port from the ready line (0 until ready). */
  port = 0;
  readonly lines: OutputLine[] = [];
  readonly exited: Promise<ExitInfo>;
  exitInfo: ExitInfo | undefined;
  readonly #startedAt = Date.now();
  #stopRequestedAt: number | undefined;
  #finished = false;
  readonly #lineWaiters = new Set<() => void>();

  constructor(child: ChildProcess, echo: boolean) {
    if (child.pid === undefined) throw new Error('lesson process did not start');
    this.pid = child.pid;
    for (const stream of ['stdout', 'stderr'] as const) {
      let partial = '';
      const source = child[stream];
      source?.setEncoding('utf8');
      source?.on('data', (chunk: string) => {
        if (echo) process[stream].write(chunk);
        const parts = (partial + chunk).split('\n');
        partial = parts.pop() ?? '';
        for (const text of parts) this.#addLine(stream, text);
      });
      source?.on('end', () => {
        if (partial) this.#addLine(stream, partial);
        partial = '';
      });
    }
    // The lifeline: we hold the write end and never write to it.
    child.stdin?.on('error', () => {});
    // 'exit' is the primary's exit; its last output may still be in the
    // pipes, and workers share those pipes. Wait for 'close' too, but not
    // forever: a process that outlived the primary would hold them open.
    const closed = once(child, 'close');
    this.exited = once(child, 'exit').then(async ([code, signal]) => {
      const from = this.#stopRequestedAt ?? this.#startedAt;
      this.exitInfo = { code: code as number | null, signal: signal as NodeJS.Signals | null, ms: Date.now() - from };
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([closed, new Promise((resolve) => (timer = setTimeout(resolve, 1_000)))]);
      clearTimeout(timer);
      this.#finished = true;
      this.#wake();
      return this.exitInfo;
    });
  }

  #addLine(stream: OutputLine['stream'], text: string): void {
    this.lines.push({ stream, text });
    this.#wake();
  }

  #wake(): void {
    for (const waiter of this.#lineWaiters) waiter();
  }

  /** All output so far, stdout and stderr interleaved as they arrived. */
  output(): string {
    return this.lines.map((l) => l.text).join('\n');
  }

  stdout(): string[] {
    return this.lines.filter((l) => l.stream === 'stdout').map((l) => l.text);
  }

  stderr(): string[] {
    return this.lines.filter((l) => l.stream === 'stderr').map((l) => l.text);
  }

  /** Index to pass as `since` to wait only for lines printed after now. */
  mark(): number {
    return this.lines.length;
  }

  /**
   * Resolves with the first line (from index `since`) matching `pattern`.
   * Rejects when the lesson exits first or after `timeoutMs`.
   */
  async waitForLine(pattern: RegExp, opts: { since?: number; timeoutMs?: number } = {}): Promise<RegExpMatchArray> {
    return (await this.waitForLineAt(pattern, opts)).match;
  }

  /** Like waitForLine, and also says at which index the line is. */
  waitForLineAt(
    pattern: RegExp,
    opts: { since?: number; timeoutMs?: number } = {},
  ): Promise<{ match: RegExpMatchArray; index: number; text: string }> {
    return this.#waitForLineAt(pattern, opts.since ?? 0, opts.timeoutMs ?? 10_000);
  }

  /** Resolves with the first `count` lines (from `since`) matching `pattern`. */
  async waitForLines(
    pattern: RegExp,
    count: number,
    opts: { since?: number; timeoutMs?: number } = {},
  ): Promise<RegExpMatchArray[]> {
    const found: RegExpMatchArray[] = [];
    let since = opts.since ?? 0;
    const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
    while (found.length < count) {
      const { match, index } = await this.#waitForLineAt(pattern, since, Math.max(1, deadline - Date.now()));
      found.push(match);
      since = index + 1;
    }
    return found;
  }

  async #waitForLineAt(pattern: RegExp, since: number, timeoutMs: number) {
    const deadline = Date.now() + timeoutMs;
    let index = since;
    for (;;) {
      for (; index < this.lines.length; index++) {
        const text = this.lines[index]?.text ?? '';
        const match = text.match(pattern);
        if (match) return { match, index, text };
      }
      if (this.#finished && this.exitInfo) {
        throw new Error(`lesson exited (${describeExit(this.exitInfo)}) before printing ${pattern}\n${this.tail()}`);
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no line matching ${pattern} within ${timeoutMs} ms\n${this.tail()}`);
      await this.#nextEvent(left);
    }
  }

  /** Resolves at the next output line or exit, or after `ms`. */
  #nextEvent(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#lineWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#lineWaiters.add(done);
    });
  }

  /** The last lines of output, for error messages. */
  tail(count = 30): string {
    return this.lines
      .slice(-count)
      .map((l) => `  ${l.stream === 'stderr' ? '!' : '|'} ${l.text}`)
      .join('\n');
  }

  /** Send a signal to the primary alone (as `kill -SIG <pid>` would). */
  signal(signal: NodeJS.Signals): void {
    this.#stopRequestedAt ??= Date.now();
    try {
      process.kill(this.pid, signal);
    } catch {
      // already gone
    }
  }

  /** Resolves with the exit, or rejects after `timeoutMs`. */
  async waitForExit(timeoutMs = 10_000): Promise<ExitInfo> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`lesson still running after ${timeoutMs} ms\n${this.tail()}`)),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Graceful stop: `signal` to the primary, wait up to `timeoutMs` for it to
   * exit, then SIGKILL whatever is left of the group. Resolves with how the
   * primary exited (SIGKILL if it had to be killed).
   */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 5_000): Promise<ExitInfo> {
    if (!this.exitInfo) this.signal(signal);
    try {
      await this.waitForExit(timeoutMs);
    } catch {
      // fall through to the kill below
    }
    this.kill();
    return this.exited;
  }

  /** SIGKILL the whole process group: primary, workers, anything they spawned. */
  kill(): void {
    try {
      process.kill(-this.pid, 'SIGKILL');
    } catch {
      // the group is already empty
    }
  }

  /** Living processes of this lesson's group (the primary and all it started). */
  members() {
    return groupMembers(this.pid);
  }

  /** Kills the group and resolves once every member is gone. */
  async dispose(): Promise<void> {
    this.kill();
    await this.exited;
    await waitForGroupGone(this.pid, 5_000);
    live.delete(this);
  }
}

export function describeExit(info: ExitInfo): string {
  return info.signal ? `signal ${info.signal}` : `code ${info.code}`;
}

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
  // An exercise's unsolved ready line should fail its check quickly.
  const readyTimeoutMs = options.readyTimeoutMs ?? (process.env[EXERCISE_ENV] ? 8_000 : 20_000);
  const env: NodeJS.ProcessEnv = { ...process.env, [LIFELINE_ENV]: '1' };
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  const hooked = Boolean(options.holdWorker || options.pauseWorker);
  const hook = hooked ? ['--import', fileURLToPath(new URL('./hold-worker.ts', import.meta.url))] : [];
  // `pnpm exercise NN`: the lesson runs with the learner's files (shared/src/tools/exercise/).
  if (process.env[EXERCISE_ENV] && process.env[EXERCISE_ENV] === basename(dir)) {
    env[HOOK_ENV.exerciseSrc] = join(dir, 'src');
    env[HOOK_ENV.exerciseDir] = process.env[HOOK_ENV.exerciseDir] || join(dir, 'exercise');
    hook.push('--import', fileURLToPath(new URL('../tools/exercise/register.mjs', import.meta.url)));
  }
  if (options.holdWorker) env[HOOK_ENV.hold] = String(options.holdWorker);
  if (options.pauseWorker) env[HOOK_ENV.pause] = String(options.pauseWorker);
  if (options.workerIdEnv) env[HOOK_ENV.workerIdFrom] = options.workerIdEnv;
  const loader = options.tsx === false ? [] : ['--import', 'tsx'];
  const command = [...(options.wrap ?? []), process.execPath, ...loader, ...hook, join(dir, entry), ...args];
  const child = spawn(command[0] ?? process.execPath, command.slice(1), {
    cwd: dir,
    env,
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lesson = new LessonProcess(child, echo);
  live.add(lesson);
  if (!waitForReady) return lesson;
  try {
    const match = await lesson.waitForLine(readyPattern, { timeoutMs: readyTimeoutMs });
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

/** Kill every lesson this process started; tests call it after each test. */
export async function killAllLessons(): Promise<void> {
  await Promise.all([...live].map((lesson) => lesson.dispose()));
}

// Our own exit, whatever the reason: nothing we started may outlive us.
process.on('exit', () => {
  for (const lesson of live) lesson.kill();
});
