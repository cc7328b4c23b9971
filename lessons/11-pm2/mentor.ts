// What a mentor says about exercise 11 (how it is used: shared/src/tools/exercise/mentor.ts).
import type { Mentor } from '@cluster-course/shared/tools/exercise/mentor';

export const mentor: Mentor = {
  // PM2 runs app.ts (through src/app-entry.mjs) in each instance: a cluster worker.
  roles: { 'app.ts': 'worker' },
  words: [
    {
      claim: "WORKERS=2: both instances send PM2 'ready'",
      when: /instances that sent 'ready' before the ready line/,
      say:
        'PM2 counted the instances online without their ready message: with wait_ready (ecosystem.config.cjs) it ' +
        "waits for each app to call process.send('ready'), and gives up waiting when listen_timeout (8 s) runs " +
        'out. Send it once the server listens, in the listen() callback.',
    },
  ],
  wrong: [
    {
      name: 'no ready message for PM2',
      file: 'app.ts',
      edits: [["  process.send?.('ready'); // wait_ready: PM2 counts this instance online now\n", '']],
      when: 'check',
      says: 'PM2 counted the instances online without their ready message',
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
