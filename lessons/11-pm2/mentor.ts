// What a mentor says about exercise 11 (how it is used: shared/src/tools/exercise/mentor.ts).
import type { Mentor } from '@cluster-course/shared/tools/exercise/mentor';

export const mentor: Mentor = {
  // PM2 runs app.ts (through src/app-entry.mjs) in each instance: a cluster worker.
  roles: { 'app.ts': 'worker' },
  words: [
    {
      claim: 'WORKERS=2: the ready line comes with 2 app processes',
      when: /no line matching \/\\bready\\b/,
      say:
        'PM2 never counted the instances online in time: with wait_ready (ecosystem.config.cjs) it waits for ' +
        "each app to send process.send('ready'), or for listen_timeout (8 s) to run out. Send it once the " +
        'server listens, in the listen() callback.',
    },
  ],
  wrong: [
    {
      name: 'no ready message for PM2',
      file: 'app.ts',
      edits: [["  process.send?.('ready'); // wait_ready: PM2 counts this instance online now\n", '']],
      when: 'check',
      says: 'PM2 never counted the instances online in time',
    },
    {
      name: 'exit on SIGINT right after starting the drain',
      file: 'app.ts',
      edits: [
        [
          '    if (!cluster.worker) process.exit(0);\n  });\n});',
          '    if (!cluster.worker) process.exit(0);\n  });\n  process.exit(0);\n});',
        ],
      ],
      when: 'read',
      says: "process.exit() in the worker’s 'SIGINT' handler",
    },
  ],
};
