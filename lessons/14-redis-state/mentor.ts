// What a mentor says about exercise 14 (how it is used: shared/src/tools/exercise/mentor.ts).
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the edits quote the source, placeholders and all
import type { Mentor } from '@cluster-course/shared/tools/exercise/mentor';

export const mentor: Mentor = {
  words: [
    {
      claim: '1,000 POST /visits, 20 at a time through nginx',
      say:
        'Visits were lost: a GET then a SET lets another process’s update land in between, and the SET ' +
        'overwrites it. Add the visit with one command Redis runs whole, INCR (redis.incr(key)).',
    },
    {
      claim: 'STATE=redis: a session made on instance 1, read on instance 2',
      when: /expected 401 to be 200/,
      say:
        'A login made on instance 1 was unknown on instance 2: the sessions are still in each process’s memory ' +
        '(express-session’s default store). With STATE=redis give express-session a store every process reads: ' +
        "connect-redis's RedisStore, with the lesson's client and key prefix.",
    },
  ],
  wrong: [
    {
      name: 'a read, then a write',
      file: 'state/visits.ts',
      edits: [['      if (atomic) return redis.incr(key);\n', '']],
      when: 'check',
      says: 'Visits were lost',
    },
    {
      name: 'sessions in memory with STATE=redis',
      file: 'state/sessions.ts',
      edits: [
        [
          'store: redis ? new RedisStore({ client: redis, prefix: `${prefix}sess:` }) : undefined,',
          'store: undefined,',
        ],
      ],
      when: 'check',
      says: 'A login made on instance 1 was unknown on instance 2',
    },
  ],
};
