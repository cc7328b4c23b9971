// EXERCISE (lesson 02): the exit policy. isCrash() and decide() are
// missing, marked TODO; the primary (src/primary.ts) calls decide() for every
// worker it loses. Check your work with `pnpm exercise 02`; stuck?
// `pnpm exercise 02 --hint`. Until decide() is written, the primary never
// replaces anyone: that is what the first check will tell you.
//
// What a worker's exit means, and what the primary does about it. Pure
// functions, so the rules are easy to read (and to change).

/**
 * The three ways a worker can end, in the words of the classic example:
 * `worker was killed by signal: SIGKILL`, `worker exited with error code: 3`,
 * `worker success!`. Exactly one of `code` and `signal` is set.
 */
export function describeExit(code: number | null, signal: string | null): string {
  if (signal) return `was killed by signal: ${signal}`;
  if (code !== 0) return `exited with error code: ${code}`;
  return 'success! (exited with code 0)';
}

/**
 * A crash is an exit nobody planned: by a signal or a non-zero code, and not
 * after the worker left through disconnect(). In a cluster that is
 * worker.exitedAfterDisconnect, set by the primary's worker.disconnect() and
 * by the worker's own cluster.worker.disconnect(). worker.kill() does not set
 * it: it is only process.kill() (nodejs/node#34312), and looks like any kill.
 */
export function isCrash(code: number | null, signal: string | null, askedToStop: boolean): boolean {
  // TODO 1: a crash is an exit by a signal or a non-zero code, unless the
  // worker left through disconnect() (askedToStop).
  void [code, signal, askedToStop]; // (only so the unfinished file compiles: delete it)
  return false;
}

/** A worker that dies this soon after it started listening never really started. */
export const MIN_UPTIME_MS = 1_000;
/** Consecutive failed starts before the primary stops trying. */
export const MAX_FAILED_STARTS = 5;
/** First backoff delay; it doubles with each further failed start. */
export const BASE_DELAY_MS = 100;

/**
 * What the primary knows of an exit. The names say what they mean wherever
 * the policy is used (lesson 05's pool of forked children uses it too).
 */
export interface ExitFacts {
  code: number | null;
  signal: string | null;
  /** It left through disconnect(), asked or on its own: worker.exitedAfterDisconnect in a cluster. */
  askedToStop: boolean;
  /** How long it had been serving (listening, or ready); null if it never did. */
  servedForMs: number | null;
  /** Failed starts in a row before this exit. */
  failedStartsInARow: number;
}

export type Decision = {
  action: 'replace' | 'keep-shrunk' | 'give-up';
  /** Wait this long before forking the replacement. */
  delayMs: number;
  why: string;
  /** The new count of failed starts in a row. */
  failedStartsInARow: number;
};

export function decide(exit: ExitFacts): Decision {
  // TODO 2: not a crash (isCrash): keep the pool shrunk, with a why that
  // says 'it left through disconnect()' or 'a clean exit (code 0) is deliberate'.
  //
  // TODO 3: a crash after serving for MIN_UPTIME_MS or more: replace at once
  // (delayMs 0) with why 'it crashed after running fine', and reset
  // failedStartsInARow to 0.
  //
  // TODO 4: any other crash is a failed start: count it. At MAX_FAILED_STARTS
  // in a row, give up, with why `${failed} workers in a row died within
  // ${MIN_UPTIME_MS} ms of starting`. Otherwise replace after BASE_DELAY_MS,
  // doubled for each earlier failed start (100, 200, 400, 800 ms), with why
  // `it died ${when}: failed start ${failed} of ${MAX_FAILED_STARTS}`, where
  // `when` is 'before it was listening' or `${servedForMs} ms after it
  // started listening`.
  const why = 'TODO 2-4 in exercise/exit-policy.ts: every exit keeps the pool shrunk';
  return { action: 'keep-shrunk', delayMs: 0, why, failedStartsInARow: exit.failedStartsInARow };
}
