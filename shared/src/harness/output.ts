// What a lesson prints, line by line, and waiting for a line: the ready
// line, a log line, the n-th of a kind. Never a fixed sleep: a wait ends at
// the line, at the lesson's exit (an error that shows its last lines), or at
// its deadline.
export interface OutputLine {
  stream: 'stdout' | 'stderr';
  text: string;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Milliseconds from the stop request (or start) to the exit. */
  ms: number;
}

export function describeExit(info: ExitInfo): string {
  return info.signal ? `signal ${info.signal}` : `code ${info.code}`;
}

/** How long a wait for a line lasts unless told otherwise; the ready line's too. */
export const LINE_WAIT_MS = 20_000;

interface WaitOptions {
  since?: number;
  timeoutMs?: number;
}

export class OutputLog {
  readonly lines: OutputLine[] = [];
  /** Set once the process has exited and its output is complete. */
  #ended: ExitInfo | undefined;
  readonly #waiters = new Set<() => void>();

  protected addLine(stream: OutputLine['stream'], text: string): void {
    this.lines.push({ stream, text });
    this.#wake();
  }

  /** No more lines will come: waits that have not matched fail now. */
  protected end(info: ExitInfo): void {
    this.#ended = info;
    this.#wake();
  }

  #wake(): void {
    for (const waiter of this.#waiters) waiter();
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
   * Every line so far, marked `|` (stdout) or `!` (stderr), for assertion
   * messages. Marked, a line of the lesson's own output that looks like a
   * stack frame (`    at fn (file:1:2)`) is not taken for one by the test
   * runner, which would read that file's source map (vitest once crashed
   * on one, and the failure it was reporting was lost).
   */
  transcript(): string {
    // How it ended, once it has: a failure message says so in words (the
    // assertion's own rendering of the exit may be cut short).
    const end = this.#ended ? `\n  (the lesson ended: ${describeExit(this.#ended)})` : '';
    return this.tail(this.lines.length) + end;
  }

  /** The last lines of output, for error messages. */
  tail(count = 30): string {
    return this.lines
      .slice(-count)
      .map((l) => `  ${l.stream === 'stderr' ? '!' : '|'} ${l.text}`)
      .join('\n');
  }

  /**
   * Resolves with the first line (from index `since`) matching `pattern`.
   * Rejects when the lesson exits first or after `timeoutMs`: by default the
   * ready line's wait (20 s), as the first lines after a start are a start
   * (a 10 s default failed a start of three workers with the suite beside it,
   * on Node.js 20). The wait is a bound for a hang, never a claim about time:
   * a claim about time passes its own.
   */
  async waitForLine(pattern: RegExp, opts: WaitOptions = {}): Promise<RegExpMatchArray> {
    return (await this.waitForLineAt(pattern, opts)).match;
  }

  /** Like waitForLine, and also says at which index the line is. */
  waitForLineAt(pattern: RegExp, opts: WaitOptions = {}) {
    return this.#waitForLineAt(pattern, opts.since ?? 0, opts.timeoutMs ?? LINE_WAIT_MS);
  }

  /** Resolves with the first `count` lines (from `since`) matching `pattern`. */
  async waitForLines(pattern: RegExp, count: number, opts: WaitOptions = {}): Promise<RegExpMatchArray[]> {
    const found: RegExpMatchArray[] = [];
    let since = opts.since ?? 0;
    const deadline = Date.now() + (opts.timeoutMs ?? LINE_WAIT_MS);
    while (found.length < count) {
      const { match, index } = await this.#waitForLineAt(pattern, since, Math.max(1, deadline - Date.now()));
      found.push(match);
      since = index + 1;
    }
    return found;
  }

  async #waitForLineAt(
    pattern: RegExp,
    since: number,
    timeoutMs: number,
  ): Promise<{ match: RegExpMatchArray; index: number; text: string }> {
    const deadline = Date.now() + timeoutMs;
    let index = since;
    for (;;) {
      for (; index < this.lines.length; index++) {
        const text = this.lines[index]?.text ?? '';
        const match = text.match(pattern);
        if (match) return { match, index, text };
      }
      if (this.#ended) {
        throw new Error(`lesson exited (${describeExit(this.#ended)}) before printing ${pattern}\n${this.tail()}`);
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no line matching ${pattern} within ${timeoutMs} ms\n${this.tail()}`);
      await this.#nextEvent(left);
    }
  }

  /** Resolves at the next output line or the end, or after `ms`. */
  #nextEvent(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#waiters.add(done);
    });
  }
}
