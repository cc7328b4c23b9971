// Demo of lesson 05: concurrent requests through the broker, who served
// them, a timeout (504) and a crash (502) with its replacement.
import { startLesson } from '@cluster-course/shared/harness';
import { fresh } from '@cluster-course/shared/harness/http';
import { expect, replay, say, step, table } from '@cluster-course/shared/harness/narrate';

const dir = new URL('..', import.meta.url).pathname;

step('Start the broker: 3 forked workers, BROKER_TIMEOUT_MS=1000');
const lesson = await startLesson(dir, { env: { PORT: '0', WORKERS: '3', BROKER_TIMEOUT_MS: '1000' } });
let seen = replay(lesson);
const at = (path: string) => new URL(path, lesson.url);

try {
  step('8 echo requests at once');
  const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'];
  const replies = await Promise.all(words.map((w) => fresh(at(`/echo?msg=${w}`))));
  table(
    ['sent', 'got back', 'worker', 'pid'],
    replies.map((r, i) => [words[i] ?? '', (JSON.parse(r.body) as { msg: string }).msg, r.workerId, r.workerPid]),
  );
  expect(
    replies.every((r, i) => r.body.includes(`"msg":"${words[i]}"`)),
    'every reply to carry its own text',
  );
  say('\nEach reply found its request by correlation id, however the answers interleaved.');

  step('120 more, 20 at a time: the share of each worker (picked at random)');
  const share = new Map<number, number>();
  for (let batch = 0; batch < 6; batch++) {
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => fresh(at(`/echo?msg=${batch}-${i}`))));
    for (const r of answers) share.set(r.workerId, (share.get(r.workerId) ?? 0) + 1);
  }
  table(
    ['worker', 'requests', 'share'],
    [...share].sort(([a], [b]) => a - b).map(([id, n]) => [id, n, `${Math.round((n / 120) * 100)}%`]),
  );

  step('GET /hang: the worker never answers');
  seen = lesson.mark();
  const started = Date.now();
  const hang = await fresh(at('/hang'));
  replay(lesson, seen);
  say(`  -> ${hang.status} after ${Date.now() - started} ms: ${hang.body.trim()}`);
  expect(hang.status === 504, '504 for /hang');

  step('POST /crash: the worker dies while handling it');
  seen = lesson.mark();
  const crash = await fresh(at('/crash'), { method: 'POST' });
  say(`  -> ${crash.status}: ${crash.body.trim()}`);
  const [, newId] = await lesson.waitForLine(/forked worker (\d+) .* to replace/, { since: seen });
  await lesson.waitForLine(new RegExp(`worker ${newId} \\(pid \\d+\\) is ready`), { since: seen });
  seen = replay(lesson, seen);
  const next = await fresh(at('/echo?msg=after-the-crash'));
  say(`  the next request: ${next.status} from worker ${next.workerId}`);
  expect(crash.status === 502 && next.status === 200, '502, then 200');

  step('Stop (SIGTERM)');
  const exit = await lesson.stop('SIGTERM');
  replay(lesson, seen);
  expect(exit.code === 0, 'exit code 0');
} finally {
  await lesson.dispose();
}
