// What a mentor says about exercise 10 (how it is used: shared/src/tools/exercise/mentor.ts).
import type { Mentor } from '@cluster-course/shared/tools/exercise/mentor';

const claimThreads = 'threads: the same /hello answers before any of the 4 /cpu?ms=300 ends';

export const mentor: Mentor = {
  words: [
    {
      claim: claimThreads,
      // The /hello came back only after some of the work had ended (done: 1 to 4).
      when: /expected [1-4] to be \+0/,
      say:
        'In MODE=threads the /hello still waited behind the /cpu work: the work runs on the main thread, ' +
        'whose event loop answers nothing until it is done. Hand each task to the pool (pool.run(task) ' +
        'returns a promise): src/one-process.ts awaits it, and the loop stays free.',
    },
    {
      claim: claimThreads,
      when: /expected 1 to be greater than or equal to 2/,
      say:
        'The /cpu work ran on 1 thread, though WORKERS=2 asked for 2: give piscina minThreads and maxThreads of ' +
        '`size`, so every thread starts at once and none is added or lost under load.',
    },
    {
      claim: 'the threads share one counter',
      say:
        'Each task counted on a copy of the counter: a plain Int32Array is copied into every task sent to a ' +
        'thread. Put it on shared memory, new Int32Array(new SharedArrayBuffer(4)), and count with ' +
        'Atomics.add: every thread then adds to the same 4 bytes.',
    },
  ],
  wrong: [
    {
      name: 'the task run on the main thread, awaited',
      file: 'pool.ts',
      edits: [
        [
          "import type { CpuResult, CpuTask } from './cpu-task.ts';",
          "import runTask, { type CpuResult, type CpuTask } from './cpu-task.ts';",
        ],
        [
          '(task) => pool.run({ ...task, iterationsPerMs, counter })',
          'async (task) => runTask({ ...task, iterationsPerMs, counter })',
        ],
      ],
      when: 'check',
      says: 'the /hello still waited behind the /cpu work',
    },
    {
      name: 'a pool of one thread',
      file: 'pool.ts',
      edits: [
        ['maxThreads: size,', 'maxThreads: 1,'],
        ['minThreads: size,', 'minThreads: 1,'],
      ],
      when: 'check',
      says: 'ran on 1 thread, though WORKERS=2 asked for 2',
    },
    {
      name: 'the counter on memory of its own, copied into each task',
      file: 'pool.ts',
      edits: [['new Int32Array(new SharedArrayBuffer(4))', 'new Int32Array(4)']],
      when: 'check',
      says: 'Each task counted on a copy of the counter',
    },
  ],
};
