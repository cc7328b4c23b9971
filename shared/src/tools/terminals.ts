// Two terminals, as a learner has them for a lesson's "Try it" section
// (`pnpm readme:try`): terminal 1 runs a long command (the lesson) in the
// foreground, terminal 2 is an interactive shell for the experiments.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const shell = ['bash', '--noprofile', '--norc'];

/** Terminal 1: one command in a process group of its own, as a shell runs a foreground job. */
export class ForegroundJob {
  readonly lines: string[] = [];
  readonly ended: Promise<number | null>;
  readonly #child: ChildProcess;

  constructor(code: string, cwd: string) {
    this.#child = spawn(shell[0] ?? 'bash', [...shell.slice(1), '-c', code], {
      cwd,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined },
    });
    for (const stream of [this.#child.stdout, this.#child.stderr]) {
      let partial = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        const parts = (partial + chunk).split('\n');
        partial = parts.pop() ?? '';
        this.lines.push(...parts);
      });
    }
    this.ended = once(this.#child, 'exit').then(([code]) => code as number | null);
  }

  /** Resolves with the index of the first line from `since` that matches; rejects after `timeoutMs`. */
  async waitFor(pattern: RegExp, since: number, timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines.findIndex((line, i) => i >= since && pattern.test(line));
      if (found !== -1) return found;
      if (Date.now() > deadline) throw new Error(`terminal 1 printed no line matching ${pattern} in ${timeoutMs} ms`);
      await sleep(20);
    }
  }

  /** Ctrl-C: SIGINT to the whole foreground group, as a terminal sends it. */
  interrupt(): void {
    this.#signalGroup('SIGINT');
  }

  kill(): void {
    this.#signalGroup('SIGKILL');
  }

  #signalGroup(signal: NodeJS.Signals): void {
    try {
      if (this.#child.pid) process.kill(-this.#child.pid, signal);
    } catch {} // already gone
  }

  tail(count = 15): string {
    return this.lines
      .slice(-count)
      .map((line) => `    1| ${line}`)
      .join('\n');
  }
}

/** Terminal 2: one shell for the whole section, so variables live from block to block. */
export class Shell {
  readonly #child: ChildProcess;
  readonly #dir = mkdtempSync(join(tmpdir(), 'readme-try-'));
  #count = 0;
  #output = '';

  constructor(cwd: string) {
    this.#child = spawn(shell[0] ?? 'bash', shell.slice(1), {
      cwd,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined },
    });
    this.#child.stdout?.setEncoding('utf8');
    this.#child.stdout?.on('data', (chunk: string) => {
      this.#output += chunk;
    });
  }

  /** Runs `code` as typed (stdin is the terminal's, here nothing); resolves with its output and status. */
  async run(code: string, timeoutMs: number): Promise<{ output: string; status: number }> {
    const n = ++this.#count;
    const file = join(this.#dir, `block-${n}.sh`);
    const out = join(this.#dir, `block-${n}.out`);
    writeFileSync(file, `${code}\n`);
    const done = `__readme_try_done_${n}__`;
    this.#child.stdin?.write(`source ${file} < /dev/null > ${out} 2>&1; echo "${done} $?"\n`);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = new RegExp(`${done} (\\d+)`).exec(this.#output)?.[1];
      if (status !== undefined) return { output: readFileSync(out, 'utf8'), status: Number(status) };
      if (this.#child.exitCode !== null) throw new Error('terminal 2 (the shell) exited');
      if (Date.now() > deadline) {
        let partial = '';
        try {
          partial = readFileSync(out, 'utf8');
        } catch {}
        throw new Error(`the block did not finish in ${timeoutMs / 1000} s; its output so far:\n${partial}`);
      }
      await sleep(20);
    }
  }

  close(): void {
    try {
      if (this.#child.pid) process.kill(-this.#child.pid, 'SIGKILL');
    } catch {}
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
