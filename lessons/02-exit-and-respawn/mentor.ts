// What a mentor says about exercise 02 (how it is used: shared/src/tools/exercise/mentor.ts).
import type { Mentor } from '@cluster-course/shared/tools/exercise/mentor';

export const mentor: Mentor = {
  words: [
    {
      claim: "the primary sees a worker's life in order",
      when: /lesson still running after/,
      say:
        'The last worker exited with code 0 and the primary went on: it replaced it as if it had crashed. A ' +
        'clean exit is deliberate: isCrash() is true only for a signal or a non-zero code, and never after ' +
        'disconnect() (askedToStop); with no worker left, the primary exits too.',
    },
    {
      claim: 'CRASH_ON_START=1: backoff 100, 200, 400, 800 ms',
      // No delay: no 'replacing worker N in … ms' line at all ('replacing worker N now').
      when: /expected \[\] to deeply equal \[ 100, 200, 400, 800 \]/,
      say:
        'The replacements after failed starts came at once: a worker that dies on start will most likely die ' +
        'again, so wait BASE_DELAY_MS before the first retry and twice as long each time (100, 200, 400, 800 ms).',
    },
    {
      claim: 'CRASH_ON_START=1: backoff 100, 200, 400, 800 ms',
      when: /expected \[ 100, 200, 400, 800, 1600 \]/,
      say:
        'The primary gave up one failed start too late: the 5th failed start in a row is the last ' +
        '(failed >= MAX_FAILED_STARTS gives up), so it forks 5 workers in all and waits 4 times.',
    },
  ],
  wrong: [
    {
      name: 'a clean exit counted as a crash',
      file: 'exit-policy.ts',
      edits: [['return signal !== null || code !== 0;', 'return signal !== null || code !== null;']],
      when: 'check',
      says: 'The last worker exited with code 0 and the primary went on',
    },
    {
      name: 'no backoff',
      file: 'exit-policy.ts',
      edits: [['const delayMs = BASE_DELAY_MS * 2 ** (failed - 1);', 'const delayMs = 0;']],
      when: 'check',
      says: 'The replacements after failed starts came at once',
    },
    {
      name: 'giving up one start too late',
      file: 'exit-policy.ts',
      edits: [['if (failed >= MAX_FAILED_STARTS) {', 'if (failed > MAX_FAILED_STARTS) {']],
      when: 'check',
      says: 'The primary gave up one failed start too late',
    },
  ],
};
