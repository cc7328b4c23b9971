// Running nginx as a child of the lesson, under the watchdog of
// src/watchdog.ts: however the lesson ends, even by SIGKILL, nginx gets
// SIGQUIT, a graceful stop bounded by worker_shutdown_timeout. Instances need
// no such help: they are Node.js processes that hold the same kind of
// lifeline (shared/src/runtime/lifeline.ts).
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { spawnUnderWatchdog } from '../watchdog.ts';
import { hasErrorLogFlag } from './binary.ts';

/** nginx's notices that say nothing new here (its signals, its event method, each worker's own exit). */
const quiet =
  /\[notice\].*(signal \d+ \(SIG(CHLD|IO)\)|using the|OS: |getrlimit|nginx\/\d|processes$|: exit(ing)?$|: reconfiguring$)/;

export interface Nginx {
  process: ChildProcess;
  /** nginx's exit code (the watchdog passes it on). */
  exited: Promise<number | null>;
  /** Resolves once nginx listens; rejects with nginx's own error line if it exits first. */
  listening: Promise<void>;
  /** Graceful stop (SIGQUIT through the watchdog); resolves once nginx has exited. */
  stop(): Promise<void>;
  /** nginx's worker pids now (from its own "start worker process" and "exited" lines). */
  workers: Set<number>;
  /** Resolves with the first line (from now on) that matches. */
  nextLine(pattern: RegExp): Promise<RegExpExecArray>;
}

/** Starts nginx; `log` gets each line of its log that says something new (no date, no routine notice). */
export function startNginx(bin: string, version: string, prefix: string, conf: string, log: (line: string) => void) {
  const args = ['-p', prefix, '-c', conf, '-g', 'daemon off;'];
  if (hasErrorLogFlag(version)) args.push('-e', 'stderr'); // else nginx first tries /var/log/nginx
  const child = spawnUnderWatchdog(bin, args, 'QUIT');
  child.stdout?.resume(); // nginx writes nothing there
  const exited = once(child, 'exit').then(([code]) => code as number | null);

  let firstError = '';
  const workers = new Set<number>();
  const waiters = new Set<(line: string) => void>();
  const nextLine = (pattern: RegExp) =>
    new Promise<RegExpExecArray>((resolve) => {
      const waiter = (line: string) => {
        const match = pattern.exec(line);
        if (!match) return;
        waiters.delete(waiter);
        resolve(match);
      };
      waiters.add(waiter);
    });
  const listening = new Promise<void>((resolve, reject) => {
    const lines = createInterface({ input: child.stderr as NodeJS.ReadableStream });
    lines.on('line', (raw) => {
      // "2026/11/23 09:00:00 [notice] 123#123: start worker process 124": the date is noise here.
      const line = raw.replace(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d /, '');
      if (!quiet.test(line)) log(line);
      const started = /start worker process (\d+)/.exec(line);
      if (started) workers.add(Number(started[1]));
      const gone = /worker process (\d+) exited/.exec(line);
      if (gone) workers.delete(Number(gone[1]));
      for (const waiter of waiters) waiter(line);
      if (!firstError && /\[(emerg|alert|crit)\]/.test(line)) firstError = line.replace(/^nginx: /, '');
      // The master opens its sockets before it starts its workers. Its line
      // "start worker processes" comes before the fork; "start worker process
      // <pid>" comes after it, so then the worker exists.
      if (started) resolve();
    });
    void exited.then((code) => reject(new Error(firstError || `nginx exited (code ${code}) before listening`)));
  });
  listening.catch(() => {}); // the caller awaits it; an exit after listening is not an error here

  const stop = async () => {
    child.stdin?.end();
    await exited;
  };
  return { process: child, exited, listening, stop, workers, nextLine } satisfies Nginx;
}
