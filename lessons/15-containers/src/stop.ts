// What `docker stop` does, and what it leaves: SIGTERM to the container's first
// process, then, if it is still running after the grace period (docker: 10 s,
// `docker stop -t`; Kubernetes: terminationGracePeriodSeconds, 30 s), SIGKILL
// to everything in the container. Then the cgroup is removed. The app's own
// exit, asked for or not, ends the runtime too, with the app's exit status.
import type { ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { emptyAndRemove } from './cgroup/janitor.ts';
import { cgroupProcs } from './cgroup/make.ts';
import { namespaceInit } from './pid1.ts';

export interface RuntimeStopOptions {
  log(line: string): void;
  graceMs: number;
  pid1: boolean;
}

/** Wired first thing, so a stop at any moment is a clean one: before the cgroup, with it, with the app. */
export function runtimeStop({ log, graceMs, pid1 }: RuntimeStopOptions) {
  let app: ChildProcess | undefined;
  let stopping = false;
  /** The cgroup's folders (the first holds every process), once made. */
  let dirs: string[] = [];
  /** Closing its stdin tells the janitor we are done (src/cgroup/janitor.ts). */
  let janitor: ChildProcess | undefined;
  let appExited: (ended: true) => void = () => {};
  const exited = new Promise<true>((resolve) => {
    appExited = resolve;
  });

  async function finish(code: number): Promise<never> {
    await emptyAndRemove(dirs); // orphans left in the cgroup included
    janitor?.stdin?.end();
    process.exit(code);
  }

  /** The app's first process: node itself, or the namespace's PID 1 (tini, or node). */
  function firstProcess(): number | undefined {
    if (!pid1) return app?.pid;
    return namespaceInit(cgroupProcs(dirs[0] ?? ''));
  }

  async function stop(reason: string): Promise<void> {
    if (stopping) return;
    stopping = true;
    const target = app && app.exitCode === null && app.signalCode === null ? firstProcess() : undefined;
    if (target === undefined) {
      log(`${reason}: the app is not running (yet): removing the cgroup`);
      return finish(0);
    }
    log(
      `${reason}: SIGTERM to the app's first process, pid ${target}${pid1 ? ' on the host, PID 1 in its namespace' : ''}; ` +
        `SIGKILL if it still runs in ${graceMs} ms (docker stop waits 10 s)`,
    );
    process.kill(target, 'SIGTERM');
    const ended = await Promise.race([exited, sleep(graceMs, false)]);
    if (!ended) log(`the app still runs ${graceMs} ms after SIGTERM: SIGKILL to every process in the cgroup`);
    return finish(0);
  }

  /** The cgroup is made and watched: from now on a stop removes it. */
  function made(cgroupDirs: string[], watcher: ChildProcess): void {
    dirs = cgroupDirs;
    janitor = watcher;
  }

  function started(child: ChildProcess): void {
    app = child;
    child.once('exit', (code, signal) => {
      const status = signal ? `${signal}, ${128 + constants.signals[signal]} in docker ps` : `code ${code}`;
      appExited(true);
      if (stopping) {
        log(`the app exited (${status})`);
        return;
      }
      log(`the app exited by itself (${status}): the container is over`);
      void finish(signal ? 128 + constants.signals[signal] : (code ?? 1));
    });
  }

  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  return {
    made,
    started,
    stop,
    get stopping() {
      return stopping;
    },
  };
}
