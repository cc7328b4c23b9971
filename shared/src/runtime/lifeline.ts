// When the course harness starts a lesson, it holds the write end of the
// lesson's stdin pipe. If the harness dies in any way, even by SIGKILL, the
// pipe closes and the lesson's primary reads end-of-file: it then stops
// itself the graceful way, as if it had received SIGTERM. This is what makes
// "nothing outlives the caller" true even when the caller cannot clean up.
//
// Run by hand (no harness), the lesson never sees the variable and this does
// nothing.
export const LIFELINE_ENV = 'CLUSTER_COURSE_LIFELINE';

export function holdLifeline(): void {
  if (process.env[LIFELINE_ENV] !== '1') return;
  const stdin = process.stdin;
  const stop = () => process.kill(process.pid, 'SIGTERM');
  stdin.once('end', stop);
  stdin.once('error', stop);
  stdin.resume();
  // The lifeline must not keep the primary alive on its own. stdin from the
  // harness is a pipe (a net.Socket, which has unref()); the ?. is for a
  // stdin redirected from a file, an fs.ReadStream without one.
  stdin.unref?.();
}
