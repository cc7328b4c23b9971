// The lesson's stop, once. Whatever asks first decides why and with which
// code: SIGINT or SIGTERM (0), an instance that dies before it is ready, nginx
// unable to start or exiting on its own (1). Every part started so far stops
// at the same time (nginx gracefully, every instance drains), then the
// private prefix goes, then the process exits. A step of the start that finds
// the stop under way waits for it (`stopped`): it ends in process.exit().
export interface LessonStop {
  readonly stopping: boolean;
  /** Resolves never: the stop exits the process. */
  readonly stopped: Promise<never>;
  /** Something started: stopped (in parallel with the others) when the lesson stops. */
  onStop(part: () => Promise<unknown> | unknown): void;
  /** Last, once every part has stopped (the prefix). */
  atLast(cleanup: () => void): void;
  stop(reason: string, code: number): Promise<never>;
}

/** `what` names the parts in the stop's first line (lesson 14 has Redis too). */
export function lessonStop(
  log: (line: string) => void,
  what = 'nginx (gracefully) and draining every instance',
): LessonStop {
  const parts: (() => Promise<unknown> | unknown)[] = [];
  const last: (() => void)[] = [];
  let stopped: Promise<never> | undefined;
  const neverUnlessStopping = new Promise<never>(() => {});
  return {
    get stopping() {
      return stopped !== undefined;
    },
    get stopped() {
      return stopped ?? neverUnlessStopping;
    },
    onStop: (part) => parts.push(part),
    atLast: (cleanup) => last.push(cleanup),
    stop(reason, code) {
      stopped ??= (async () => {
        log(`${reason}: stopping ${what}`);
        await Promise.all(parts.map((part) => part()));
        for (const cleanup of last) cleanup();
        log(`stopped; exit code ${code}`);
        process.exit(code);
      })();
      return stopped;
    },
  };
}
