// What a mentor says about exercise 03 (how it is used: shared/src/tools/exercise/mentor.ts).
import type { Mentor } from '@cluster-course/shared/tools/exercise/mentor';

export const mentor: Mentor = {
  words: [
    {
      claim: 'GET /cluster answers exactly',
      when: /expected 1 to be 2/,
      say:
        'Every worker answered with the same id: give serve() the id of the worker it runs in ' +
        '(cluster.worker.id), not a constant.',
    },
  ],
  wrong: [
    {
      name: 'every worker serving as id 0',
      file: 'main.ts',
      edits: [['  serve(id); // the app itself does not know it is clustered', '  serve(0);']],
      when: 'check',
      says: 'Every worker answered with the same id',
    },
    {
      name: "lesson 02's primary run outside `if (cluster.isPrimary)`",
      file: 'main.ts',
      edits: [
        [
          'if (cluster.isPrimary) {\n  await runPrimary(config);\n} else {',
          'await runPrimary(config);\nif (cluster.isWorker) {',
        ],
      ],
      when: 'read',
      says: 'here runs in every process that runs main.ts',
    },
  ],
};
