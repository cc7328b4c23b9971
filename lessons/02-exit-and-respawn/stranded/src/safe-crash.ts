// The safe crash: what a worker does with an uncaught exception so that no
// client is left waiting forever. Both halves of the handshake are here, so
// it reads in one place: crashSafely() in the worker, acceptSafeCrashes() in
// the primary.
//
// Under round-robin the primary accepts each connection and sends it to a
// worker over IPC. A worker that dies before reading that message never
// answers it, and the primary keeps the socket open: the client waits
// forever (the README's part 2, "The stranded connection"). So a crashing worker
//   1. stops accepting: server.close() takes it out of the rotation,
//   2. tells the primary it is crashing; the primary decides now (part 1's
//      policy, through its leaving()), forks the replacement and answers
//      `crash-ack`,
//   3. waits for that answer. Messages arrive in order, so by then every
//      connection the primary sent before it has been read, and Node.js has
//      sent each one back to the primary for another worker,
//   4. gives the requests it holds CRASH_GRACE_MS to finish, then exits
//      with code 1, as Node.js itself would have.
// A kill -9 or the OOM killer allows none of this: see stranded/demo/retry-client.ts.
import cluster from 'node:cluster';
import { once } from 'node:events';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@cluster-course/shared';
import type { Primary } from '../../src/primary.ts';

/** How long the requests in hand may take once the worker is out of the rotation. */
export const CRASH_GRACE_MS = 1_000;
/** Whatever happens (no answer from the primary), the worker is gone by then. */
export const CRASH_DEADLINE_MS = 5_000;

/** Worker → primary: I am crashing; I have stopped accepting. */
export interface CrashingMessage {
  type: 'crashing';
  /** The exit code the worker will end with. */
  code: number;
  error: string;
}

export function isCrashing(message: unknown): message is CrashingMessage {
  const m = message as Partial<CrashingMessage> | null;
  return m?.type === 'crashing' && typeof m.code === 'number' && typeof m.error === 'string';
}

/** Primary → worker: you are out of the rotation and every connection sent to you was read. */
export const CRASH_ACK = { type: 'crash-ack' } as const;

export function isCrashAck(message: unknown): message is typeof CRASH_ACK {
  return (message as { type?: unknown } | null | undefined)?.type === CRASH_ACK.type;
}

export function crashSafely(server: net.Server, log: Logger): void {
  let crashing = false;
  process.on('uncaughtException', async (err) => {
    process.stderr.write(`uncaught exception in worker ${process.pid}: ${err.stack ?? err}\n`);
    // A second one, or no primary to coordinate with: no more ceremony.
    if (crashing || !process.connected) process.exit(1);
    crashing = true;
    setTimeout(() => process.exit(1), CRASH_DEADLINE_MS);
    log('crashing: out of the rotation, waiting for the primary');

    // net.Server's close, not http.Server's: that one also closes "idle"
    // connections, which includes any accepted whose request is not read yet.
    net.Server.prototype.close.call(server);
    const closed = once(server, 'close'); // once the last open connection is done
    const acked = new Promise<void>((resolve) => {
      process.on('message', (message: unknown) => {
        if (isCrashAck(message)) resolve();
      });
      // A primary that is stopping disconnects us instead: that proves the same.
      process.once('disconnect', resolve);
    });
    process.send?.({ type: 'crashing', code: 1, error: err.message } satisfies CrashingMessage);
    await acked;
    await Promise.race([closed, sleep(CRASH_GRACE_MS)]);
    log('crashing: exiting with code 1');
    process.exit(1);
  });
}

/** The primary's half: decide on a crashing worker now, then answer it. */
export function acceptSafeCrashes(primary: Primary): void {
  cluster.on('message', (worker, message) => {
    if (!isCrashing(message)) return;
    // Start-then-stop: the replacement is forked before the answer, and
    // every connection sent to the worker before the answer will be read.
    if (!primary.leaving(worker, message.code, `is crashing (${message.error}); out of the rotation`)) return;
    if (worker.isConnected()) worker.send(CRASH_ACK);
  });
}
