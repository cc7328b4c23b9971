// What a mentor says about exercise 01 (how it is used: shared/src/tools/exercise/mentor.ts).
import type { Mentor } from '@cluster-course/shared/tools/exercise/mentor';

export const mentor: Mentor = {
  words: [
    {
      claim: 'the ready line waits for the last worker',
      when: /ready line was printed: expected (\d+) to be (\d+)/,
      say: (m) =>
        `The ready line came after ${m[1]} of ${m[2]} workers listened: a client that trusts it can reach a ` +
        'cluster still starting. Print it once every worker listens: in the primary’s ' +
        "cluster.on('listening') handler, `if (listening.size === config.workers)`.",
    },
    {
      claim: 'WORKERS=3 starts exactly 3 workers',
      when: /expected \[.*?\] to have a length of 3 but got (\d+)/,
      say: (m) =>
        `WORKERS=3 asked for 3 workers and ${m[1]} started: fork config.workers of them (it is WORKERS, and ` +
        'os.availableParallelism() when WORKERS is not set), each cluster.fork() added to `alive`.',
    },
  ],
  wrong: [
    {
      name: 'the ready line on the first worker that listens',
      file: 'primary.ts',
      edits: [['if (listening.size === config.workers) {', 'if (listening.size >= 1) {']],
      when: 'check',
      says: 'The ready line came after 1 of 3 workers listened',
    },
    {
      name: 'a worker per CPU of the machine, counted with os.cpus()',
      file: 'primary.ts',
      edits: [
        ["import { availableParallelism } from 'node:os';", "import os, { availableParallelism } from 'node:os';"],
        ['for (let i = 0; i < config.workers; i++)', 'for (let i = 0; i < os.cpus().length; i++)'],
      ],
      when: 'read',
      says: 'os.cpus().length counts every CPU of the machine',
    },
    {
      name: 'one worker too many',
      file: 'primary.ts',
      edits: [['i < config.workers; i++', 'i <= config.workers; i++']],
      when: 'check',
      says: 'WORKERS=3 asked for 3 workers and 4 started',
    },
    // The words every lesson shares (shared/src/tools/exercise/mentor.ts), proved here.
    {
      name: 'the ready line waits for one worker more than there are',
      file: 'primary.ts',
      edits: [['if (listening.size === config.workers) {', 'if (listening.size > config.workers) {']],
      when: 'check',
      says: 'The lesson never said it was ready',
    },
    {
      name: 'no SIGTERM handler: the signal kills the primary',
      file: 'primary.ts',
      edits: [["process.on('SIGTERM', () => stopAll('SIGTERM', 0));", '']],
      when: 'check',
      says: 'The lesson died of SIGTERM instead of stopping',
    },
    {
      name: 'no SIGINT handler: Ctrl-C kills the primary',
      file: 'primary.ts',
      edits: [["process.on('SIGINT', () => stopAll('SIGINT', 0));", '']],
      when: 'check',
      says: 'The lesson died of SIGINT (Ctrl-C) instead of stopping',
    },
    {
      name: 'no check of the port before forking',
      file: 'primary.ts',
      edits: [['await exitIfPortInUse(config.host, [config.port]);', '']],
      when: 'check',
      says: 'check the port before forking (exitIfPortInUse())',
    },
    {
      name: "no 'error' listener on the workers",
      file: 'primary.ts',
      // The line commented out: the listener is gone.
      edits: [["worker.on('error', (err) =>", "// worker.on('error', (err) =>"]],
      when: 'check',
      says: 'The primary died because a worker ended while the primary was answering its request to listen',
    },
    {
      name: 'a stop that disconnects a worker still starting',
      file: 'primary.ts',
      edits: [["worker.process.kill('SIGTERM');", 'worker.disconnect();']],
      when: 'check',
      says: 'a worker not yet listening has no server to close',
    },
  ],
};
