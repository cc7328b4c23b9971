// What a mentor says about exercise 07 (how it is used: shared/src/tools/exercise/mentor.ts).
import type { Mentor } from '@cluster-course/shared/tools/exercise/mentor';

export const mentor: Mentor = {
  words: [
    {
      claim: 'rr, one connection at a time',
      when: /to contain 'scheduling policy: rr/,
      say:
        'NODE_CLUSTER_SCHED_POLICY=rr asked for round-robin, and the cluster ran with another policy: ' +
        'cluster.schedulingPolicy must be cluster.SCHED_RR for rr and cluster.SCHED_NONE for none, set in the ' +
        'primary before the first fork (the policy is frozen then), and the line must read it back.',
    },
  ],
  wrong: [
    {
      name: 'the policies swapped',
      file: 'main.ts',
      edits: [
        [
          "config.policy === 'rr' ? cluster.SCHED_RR : cluster.SCHED_NONE",
          "config.policy === 'rr' ? cluster.SCHED_NONE : cluster.SCHED_RR",
        ],
      ],
      when: 'check',
      says: 'NODE_CLUSTER_SCHED_POLICY=rr asked for round-robin, and the cluster ran with another policy',
    },
  ],
};
