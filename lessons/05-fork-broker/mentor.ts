// What a mentor says about exercise 05 (how it is used: shared/src/tools/exercise/mentor.ts).
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the edits quote the source, placeholders and all
import type { Mentor } from '@cluster-course/shared/tools/exercise/mentor';

export const mentor: Mentor = {
  words: [
    {
      claim: '/hang gets 504 after BROKER_TIMEOUT_MS',
      say:
        '/hang did not get its 504: a request its worker never answers needs a timer, set when it is sent ' +
        '(BROKER_TIMEOUT_MS), that answers 504 and forgets the request; a reply that comes later finds nothing.',
    },
    {
      claim: '/crash gets 502',
      when: /expected 504 to be 502/,
      say:
        '/crash waited for its timeout (504) instead of a 502 at once: when a worker exits, answer every ' +
        'request it still held (#pending, by worker) with 502 right there, in the pool’s exit handler.',
    },
  ],
  wrong: [
    {
      name: 'no timer for a request nobody answers',
      file: 'dispatcher.ts',
      edits: [['}, this.options.timeoutMs);', '}, 2 ** 31 - 1);']],
      when: 'check',
      says: '/hang did not get its 504',
    },
    {
      name: "a dead worker's requests left to time out",
      file: 'dispatcher.ts',
      edits: [['      for (const id of held) this.#settle(id, text(502, `worker ${worker.id} died (${how})`));\n', '']],
      when: 'check',
      says: '/crash waited for its timeout (504) instead of a 502 at once',
    },
  ],
};
