// What a mentor says about exercise 06 (how it is used: shared/src/tools/exercise/mentor.ts).
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the edits quote the source, placeholders and all
import type { Mentor } from '@cluster-course/shared/tools/exercise/mentor';

export const mentor: Mentor = {
  words: [
    {
      claim: 'greetings name the worker pid',
      when: /the first line a client gets/,
      say:
        'The first line a client gets must be the greeting, exactly `hello from worker <id> (pid <pid>)`, ' +
        'written as soon as the connection opens (the worker’s id is cluster.worker.id, its pid process.pid).',
    },
    {
      claim: 'answers each line with `worker <id>: <line>`',
      say: 'Each line a client sends gets one line back: `worker <id>: <the line>`; `quit` gets `bye` and the end.',
    },
  ],
  wrong: [
    {
      name: 'a greeting without the pid',
      file: 'worker.ts',
      edits: [
        [
          'socket.write(`hello from worker ${id} (pid ${process.pid})\\n`);',
          'socket.write(`hello from worker ${id}\\n`);',
        ],
      ],
      when: 'check',
      says: 'The first line a client gets must be the greeting',
    },
    {
      name: 'each line echoed without the worker',
      file: 'worker.ts',
      edits: [['else socket.write(`worker ${id}: ${line}\\n`);', 'else socket.write(`${line}\\n`);']],
      when: 'check',
      says: 'Each line a client sends gets one line back',
    },
  ],
};
