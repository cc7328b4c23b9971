// A test hook: no lesson's own code uses it (lessons 11 and 13 only pass
// it on to the processes they start, see CONTRIBUTING.md). It holds one
// worker before the lesson's code runs in it, as a slow start would (a large
// dependency tree, a cold disk, a busy machine), so a test can begin a stop
// at exactly that moment instead of hoping to hit it.
//
// The harness loads it with `--import` when a test asks for it
// (startLesson(dir, { holdWorker: 2 })). Cluster workers and forked children
// inherit the primary's execArgv, so it runs in every process of the lesson
// and holds only the one whose id is the one asked for: a cluster worker's
// id, or, for workers a lesson forks itself, the id in the variable the test
// names (lesson 05's BROKER_WORKER_ID). The variables: hook-env.ts.
//
// Held, the process is what a starting worker is: alive, its event loop
// running (IPC messages are handled by Node.js itself, as while ES modules
// load), none of the lesson's handlers attached yet. It never continues:
// only a signal ends it. A worker can also be paused
// (startLesson(dir, { pauseWorker: 1 })): held the same way until the test
// sends it SIGUSR2, so a test can act between two steps of a start.
// And a cluster worker can stop itself right after it has asked the primary
// to listen (startLesson(dir, { stopAfterListenRequest: 1 })): Node.js sends
// that request (`act: 'queryServer'`) from inside listen(), through
// process.send(). The worker then closes its end of the IPC channel and
// stops (SIGSTOP): for the primary it is what a worker's death is first (the
// kernel closes a dying process's files before its parent hears of the
// exit), with the order fixed: the request, then the closed pipe, and the
// exit only when the test kills it.
import cluster from 'node:cluster';
import { once } from 'node:events';
import { closeSync } from 'node:fs';
import { HOOK_ENV } from './hook-env.ts';

const wanted = Number(process.env[HOOK_ENV.hold]);
const paused = Number(process.env[HOOK_ENV.pause]);
const stopAfterListen = Number(process.env[HOOK_ENV.stopAfterListenRequest]);
const idFrom = process.env[HOOK_ENV.workerIdFrom];
const id = cluster.isWorker ? cluster.worker?.id : idFrom ? Number(process.env[idFrom]) : undefined;

if (cluster.isWorker && stopAfterListen > 0 && id === stopAfterListen && process.send) {
  const send = process.send.bind(process) as (...args: unknown[]) => boolean;
  process.send = ((...args: unknown[]) => {
    const sent = send(...args); // a small message is written at once: it is in the pipe now
    const channel = (process as { channel?: { fd?: number } }).channel;
    if ((args[0] as { act?: unknown } | undefined)?.act === 'queryServer' && typeof channel?.fd === 'number') {
      closeSync(channel.fd); // the last reference to this end: the primary reads the request, then EOF
      process.stdout.write(`[test hook] worker ${id} (pid ${process.pid}) stopped after asking to listen\n`);
      process.kill(process.pid, 'SIGSTOP');
    }
    return sent;
  }) as typeof process.send;
}

if (wanted > 0 && id === wanted) {
  process.stdout.write(`[test hook] worker ${id} (pid ${process.pid}) held before its code runs\n`);
  setInterval(() => {}, 60_000); // keeps the event loop, and so the process, alive
  await new Promise(() => {});
}
// Paused: the same, until the test sends it SIGUSR2; then its code runs.
if (paused > 0 && id === paused) {
  const released = once(process, 'SIGUSR2'); // listening before we say so: a signal now cannot kill us
  process.stdout.write(`[test hook] worker ${id} (pid ${process.pid}) paused before its code runs\n`);
  await released;
}
