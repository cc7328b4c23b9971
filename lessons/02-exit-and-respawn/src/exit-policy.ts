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
  if (askedToStop) return false;
  return signal !== null || code !== 0;
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
  if (!isCrash(exit.code, exit.signal, exit.askedToStop)) {
    const why = exit.askedToStop ? 'it left through disconnect()' : 'a clean exit (code 0) is deliberate';
    return { action: 'keep-shrunk', delayMs: 0, why, failedStartsInARow: exit.failedStartsInARow };
  }

  // A crash. If it had run a while, replace it at once: the next one will
  // most likely run a while too.
  const { servedForMs } = exit;
  if (servedForMs !== null && servedForMs >= MIN_UPTIME_MS) {
    return { action: 'replace', delayMs: 0, why: 'it crashed after running fine', failedStartsInARow: 0 };
  }

  // It died before listening, or just after: a failed start. Forking again
  // at once would likely fail the same way, in a loop. Wait, twice as long
  // each time, and give up after MAX_FAILED_STARTS in a row.
  const failed = exit.failedStartsInARow + 1;
  // (Only cluster primaries print this `why`: they serve by listening.)
  const when = servedForMs === null ? 'before it was listening' : `${servedForMs} ms after it started listening`;
  if (failed >= MAX_FAILED_STARTS) {
    const why = `${failed} workers in a row died within ${MIN_UPTIME_MS} ms of starting`;
    return { action: 'give-up', delayMs: 0, why, failedStartsInARow: failed };
  }
  const delayMs = BASE_DELAY_MS * 2 ** (failed - 1);
  const why = `it died ${when}: failed start ${failed} of ${MAX_FAILED_STARTS}`;
  return { action: 'replace', delayMs, why, failedStartsInARow: failed };
}
