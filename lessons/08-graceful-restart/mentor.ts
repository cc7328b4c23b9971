// What a mentor says about exercise 08 (how it is used: shared/src/tools/exercise/mentor.ts).
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the edits quote the source, placeholders and all
import type { Mentor } from '@cluster-course/shared/tools/exercise/mentor';

export const mentor: Mentor = {
  words: [
    {
      claim: 'WORKERS=1: the restart still never leaves the port without a worker',
      say:
        'Requests failed during the rolling restart: start, then stop. Fork the successor and wait until it ' +
        'listens before you retire the old worker; stopped first, the port has no worker for a while, and ' +
        'every connection in that gap is refused.',
    },
  ],
  wrong: [
    {
      name: 'no deadline on a retiring worker',
      file: 'shutdown.ts',
      edits: [
        [
          "  const deadline = setTimeout(() => {\n    pool.killed += 1;\n    log(`${name(worker)} is still busy after ${config.shutdownTimeoutMs} ms: killing it`);\n    worker.process.kill('SIGKILL');\n  }, config.shutdownTimeoutMs);\n",
          '',
        ],
        ['  clearTimeout(deadline);\n', ''],
      ],
      when: 'read',
      says: "once(worker, 'exit') waits as long as the worker takes to leave",
    },
    {
      name: 'stop, then start',
      file: 'rolling-restart.ts',
      edits: [
        ['    await retire(pool, worker);\n', ''],
        ['    const successor = fork(pool,', '    await retire(pool, worker);\n    const successor = fork(pool,'],
      ],
      when: 'check',
      says: 'Requests failed during the rolling restart: start, then stop',
    },
  ],
};
