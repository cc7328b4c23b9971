// A running lesson, as the harness holds it: its primary's pid, its output
// (output.ts), and its stop. It runs in a process group of its own, so one
// kill(-pgid) reaches the primary, its workers and anything they started;
// every way out of a test ends in that kill.
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { type ExitInfo, OutputLog } from './output.ts';
import { groupMembers, waitForGroupGone } from './proc.ts';

export class LessonProcess extends OutputLog {
  readonly pid: number;
  /** The URL from the ready line (empty until ready). */
  url = '';
  /** The port from the ready line (0 until ready). */
  port = 0;
  readonly exited: Promise<ExitInfo>;
  exitInfo: ExitInfo | undefined;
  readonly #startedAt = Date.now();
  #stopRequestedAt: number | undefined;
  readonly #onDisposed: (lesson: LessonProcess) => void;

  constructor(child: ChildProcess, echo: boolean, onDisposed: (lesson: LessonProcess) => void) {
    super();
    if (child.pid === undefined) throw new Error('lesson process did not start');
    this.pid = child.pid;
    this.#onDisposed = onDisposed;
    for (const stream of ['stdout', 'stderr'] as const) {
      let partial = '';
      const source = child[stream];
      source?.setEncoding('utf8');
      source?.on('data', (chunk: string) => {
        if (echo) process[stream].write(chunk);
        const parts = (partial + chunk).split('\n');
        partial = parts.pop() ?? '';
        for (const text of parts) this.addLine(stream, text);
      });
      source?.on('end', () => {
        if (partial) this.addLine(stream, partial);
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
      this.end(this.exitInfo);
      return this.exitInfo;
    });
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
    const timeout = AbortSignal.timeout(timeoutMs);
    const late = once(timeout, 'abort').then(() => {
      throw new Error(`lesson still running after ${timeoutMs} ms\n${this.tail()}`);
    });
    late.catch(() => {}); // only the race below may see it
    return Promise.race([this.exited, late]);
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
    this.#onDisposed(this);
  }
}
