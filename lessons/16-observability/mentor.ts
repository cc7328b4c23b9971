// What a mentor says about exercise 16 (how it is used: shared/src/tools/exercise/mentor.ts).
import type { Mentor } from '@cluster-course/shared/tools/exercise/mentor';

const silentWorker = 'a worker that does not answer (SIGSTOPped)';

export const mentor: Mentor = {
  words: [
    {
      claim: silentWorker,
      when: /timeout|timed out|did not hang/i,
      say:
        'The scrape waited for the stopped worker: a worker that cannot answer (stopped, busy, dying) must not ' +
        'hold the whole scrape. Gather with the deadline, gather(workers, timeoutMs), and report who did not ' +
        'answer (cluster_worker_up 0) instead of waiting.',
    },
    {
      claim: silentWorker,
      when: /http_requests_total|expected \d+ to be 6/,
      say:
        'The stopped worker’s requests vanished from the total: the sum was made of this scrape’s answers ' +
        'only. Record each answer in the ledger (ledger.record(worker.id, answer.requests)) and aggregate ' +
        'ledger.totals(), which keeps the last counts of a worker that is silent or gone.',
    },
  ],
  wrong: [
    {
      name: 'a gather with no deadline',
      file: 'metrics/scrape.ts',
      edits: [['await gather(workers, timeoutMs);', 'await gather(workers, 2 ** 31 - 1);']],
      when: 'check',
      says: 'The scrape waited for the stopped worker',
    },
    {
      name: 'the sum of this scrape’s answers, no ledger',
      file: 'metrics/scrape.ts',
      edits: [
        ['  for (const [worker, answer] of gathered.answers) ledger.record(worker.id, answer.requests);\n', ''],
        [
          '[...ledger.totals(), ...perProcess,',
          '[...[...gathered.answers.values()].map((a) => a.requests), ...perProcess,',
        ],
      ],
      when: 'check',
      says: 'The stopped worker’s requests vanished from the total',
    },
  ],
};
