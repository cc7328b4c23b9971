// Nothing outlives the lesson, not even after `kill -9`: a container runtime
// keeps watch over its containers from outside them, and so does this. The
// janitor is a tiny shell in a process group of its own (a kill of the
// lesson's group does not reach it), outside the cgroup, whose stdin is a
// pipe from the lesson. However the lesson ends (a clean stop closes the pipe,
// SIGKILL makes the kernel close it), `cat` reads end-of-file, and the
// janitor kills whatever is still in the cgroup and removes its folders. The
// kernel gives no event when a v1 cgroup empties, hence the short wait loop.
import { type ChildProcess, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { cgroupProcs, removeCgroup } from './make.ts';

const JANITOR = `
cat >/dev/null
for dir in "$@"; do
  while pids=$(cat "$dir/cgroup.procs" 2>/dev/null) && [ -n "$pids" ]; do
    kill -9 $pids 2>/dev/null; sleep 0.02
  done
  rmdir "$dir" 2>/dev/null
done
exit 0
`;

/** Starts the janitor over `dirs`; it acts when the returned process's stdin closes. */
export function startJanitor(dirs: string[]): ChildProcess {
  const janitor = spawn('/bin/sh', ['-c', JANITOR, 'cluster-course-15-janitor', ...dirs], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  janitor.stdin?.on('error', () => {}); // a lifeline, never written to
  janitor.unref();
  return janitor;
}

/** The same from the lesson itself: SIGKILL what is left, wait until empty, remove. */
export async function emptyAndRemove(dirs: string[], deadlineMs = 5_000): Promise<void> {
  const until = Date.now() + deadlineMs;
  for (const dir of dirs) {
    for (let pids = cgroupProcs(dir); pids.length > 0; pids = cgroupProcs(dir)) {
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {} // gone between the read and the kill
      }
      if (Date.now() > until) throw new Error(`${dir} still holds ${pids.join(' ')}`);
      await sleep(20);
    }
  }
  removeCgroup(dirs);
}
