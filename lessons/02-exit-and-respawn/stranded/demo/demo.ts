// Demo of lesson 02, part 2: the stranded connection, and its two cures.
// The order of events is forced (./strand.ts), so what it shows happens
// every time. Run by the lesson's demo/demo.ts after part 1, against part
// 2's program (stranded/src/main.ts); Linux only (/proc).
import { startLesson } from '@cluster-course/shared/harness';
import { fresh } from '@cluster-course/shared/harness/http';
import { expect, replay, say, step } from '@cluster-course/shared/harness/narrate';
import { type Answer, createClient, get } from './retry-client.ts';
import { rawRequest, strandNextConnection } from './strand.ts';

const dir = new URL('../..', import.meta.url).pathname;
const entry = 'stranded/src/main.ts';

step('Start 2 workers, round-robin (NODE_CLUSTER_SCHED_POLICY=rr)');
const lesson = await startLesson(dir, { entry, env: { PORT: '0', WORKERS: '2', NODE_CLUSTER_SCHED_POLICY: 'rr' } });
let seen = lesson.mark();

try {
  step('A connection dealt to a worker that dies before it takes it');
  let client: ReturnType<typeof rawRequest> | undefined;
  const { killed } = await strandNextConnection(lesson, 'rr', () => {
    client = rawRequest(lesson.port);
  });
  if (!client) throw new Error('no client');
  say(`  SIGSTOP ${killed} (its turn is next), connect and send GET /, then SIGKILL ${killed}`);
  const [, newId] = await lesson.waitForLine(/forked worker (\d+) .* to replace/, { since: seen });
  await lesson.waitForLine(new RegExp(`worker ${newId} \\(pid \\d+\\) listening on`), { since: seen });
  seen = replay(lesson, seen);
  const answered = await client.ended(2_000);
  say(`\n  after 2 s: ${answered ? 'answered' : 'no answer'}, ${client.received().length} bytes received,`);
  say(`  the connection still held by pid ${client.holders().join(', ')} (the primary is ${lesson.pid}).`);
  say('The primary sent the connection to the worker and waits for it to say "taken". It never');
  say('will. A replacement does not help: the primary never deals this connection again.');
  expect(!answered && client.holders().includes(lesson.pid), 'no answer and the primary holding the socket');
  client.socket.destroy();

  step('Cure 1: the safe crash. POST /crash, then 8 requests on fresh connections at once');
  const crashed = lesson.mark();
  seen = crashed;
  const crash = await fresh(new URL('/crash', lesson.url), { method: 'POST' });
  const after = await Promise.all(Array.from({ length: 8 }, () => fresh(lesson.url, { timeoutMs: 2_000 })));
  await lesson.waitForLine(new RegExp(`\\(pid ${crash.workerPid}\\) had said it was leaving`), { since: seen });
  seen = replay(lesson, seen);
  say(
    `\n  ${after.filter((r) => r.status === 200).length} of 8 answered. The worker left the rotation before it died,`,
  );
  say('  and every connection already sent to it was passed back to the primary (stranded/src/safe-crash.ts).');
  expect(
    after.every((r) => r.status === 200),
    'all 8 answered',
  );

  step('Cure 2, for a kill -9 or the OOM killer: a timeout and one retry, GET only');
  const [, crashId] = await lesson.waitForLine(/forked worker (\d+) .* to replace/, { since: crashed });
  await lesson.waitForLine(new RegExp(`worker ${crashId} \\(pid \\d+\\) listening on`), { since: crashed });
  seen = lesson.mark();
  let answer: Promise<Answer> | undefined;
  await strandNextConnection(lesson, 'rr', () => {
    answer = get(createClient({ timeoutMs: 1_000, retries: 1 }), lesson.url);
  });
  const got = await (answer as Promise<Answer>);
  say(
    `  the same stranded GET, from stranded/demo/retry-client.ts: ${got.status} from pid ${got.workerPid} after ${got.ms} ms`,
  );
  say('  (1 s without an answer, then a new connection, dealt to a living worker).');
  expect(got.status === 200, 'the retried GET answered');
  await lesson.stop('SIGTERM');
} finally {
  await lesson.dispose();
}
