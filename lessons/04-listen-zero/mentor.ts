// What a mentor says about exercise 04 (how it is used: shared/src/tools/exercise/mentor.ts).
import type { Mentor } from '@cluster-course/shared/tools/exercise/mentor';

export const mentor: Mentor = {
  words: [
    {
      claim: 'PORT_MODE=per-worker with PORT=0: distinct ports',
      say:
        'In per-worker mode the workers did not each get a port of their own: listen() in a worker asks the ' +
        'primary, which shares one socket per address and port among the workers, port 0 included. ' +
        '`exclusive: true` makes each worker bind its own.',
    },
    {
      claim: 'PORT_MODE=per-worker with PORT=base: worker N listens on base + N',
      say: 'Worker N must listen on PORT + N, N being its cluster.worker.id (1, 2, ...), with exclusive: true.',
    },
  ],
  wrong: [
    {
      name: 'port 0 in per-worker mode without exclusive',
      file: 'worker.ts',
      edits: [['port: 0, exclusive: true });', 'port: 0 });']],
      when: 'check',
      says: 'In per-worker mode the workers did not each get a port of their own',
    },
    {
      name: 'base + N counted from 0',
      file: 'worker.ts',
      edits: [['port: config.port + id, exclusive: true', 'port: config.port + id - 1, exclusive: true']],
      when: 'check',
      says: 'Worker N must listen on PORT + N',
    },
  ],
};
