// A server that is not a Node.js process (nginx here, Redis in lesson 14)
// has no IPC channel to lose and does not notice its parent dying: a lesson
// killed with SIGKILL would leave it serving forever. So the lesson starts it
// under a six-line shell watchdog whose stdin is a pipe from the lesson.
// However the lesson ends (a clean stop that closes the pipe, or SIGKILL,
// where the kernel closes it), the watchdog reads end-of-file and sends the
// server its graceful-stop signal. The watchdog's exit code is the server's.
import { type ChildProcess, type StdioPipe, spawn } from 'node:child_process';

const WATCHDOG = `
exec 3<&0                 # our stdin, the lesson's pipe, kept as fd 3
"$0" "$@" 3<&- &          # the server in the foreground, as our child
server=$!
{ cat <&3 >/dev/null; kill -"$STOP_SIGNAL" "$server" 2>/dev/null; } &
exec 3<&-
wait "$server"
`;

/**
 * Starts `bin args` under the watchdog; `stopSignal` is the server's graceful
 * stop (nginx: QUIT, redis-server: TERM). stdout and stderr are pipes to read.
 * End the server with `child.stdin.end()`.
 */
export function spawnUnderWatchdog(bin: string, args: string[], stopSignal: 'QUIT' | 'TERM'): ChildProcess {
  const stdio: StdioPipe[] = ['pipe', 'pipe', 'pipe'];
  const child = spawn('/bin/sh', ['-c', WATCHDOG, bin, ...args], {
    stdio,
    env: { ...process.env, STOP_SIGNAL: stopSignal },
  });
  child.stdin?.on('error', () => {}); // the lifeline: never written to
  return child;
}
