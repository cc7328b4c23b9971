// What a mentor says about exercise 15 (how it is used: shared/src/tools/exercise/mentor.ts).
import type { Mentor } from '@cluster-course/shared/tools/exercise/mentor';

export const mentor: Mentor = {
  words: [
    {
      claim: 'cgroup v2, 150000 of 100000, the parent unlimited',
      when: /expected 2 to be 1/,
      say:
        'A quota of 1.5 CPUs gave 2 workers: round down (Math.floor), never below 1. Two busy workers on 1.5 ' +
        'CPUs of quota use it up early in every period and wait, throttled, for the next.',
    },
    {
      claim: 'the parent at 50000 of 100000: the smaller holds',
      say:
        'A quota set on a parent cgroup was missed: a limit higher up (a pod, a slice) holds for everything ' +
        'under it. Read the quota in each folder from the process’s own cgroup up to the mount, and keep the ' +
        'smallest.',
    },
  ],
  wrong: [
    {
      name: 'the quota rounded to the nearest',
      file: 'cpu-quota.ts',
      edits: [['Math.floor(quota.cpus)', 'Math.round(quota.cpus)']],
      when: 'check',
      says: 'A quota of 1.5 CPUs gave 2 workers',
    },
    {
      name: 'only the process’s own cgroup read',
      file: 'cpu-quota.ts',
      edits: [['    if (dir === place.mount) break;\n', '    break; // its own cgroup only\n']],
      when: 'check',
      says: 'A quota set on a parent cgroup was missed',
    },
  ],
};
