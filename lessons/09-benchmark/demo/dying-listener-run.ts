// One run of demo/dying-listener.ts's experiment against TARGET=reuseport,
// printed as one JSON line. The test runs it inside a private network
// namespace (unshare --net), where net.ipv4.tcp_migrate_req can be set to 1
// without touching the machine's own setting.
import { startLesson } from '@cluster-course/shared/harness';
import { killWithQueuedConnections } from './dying-listener.ts';

const dir = new URL('..', import.meta.url).pathname;
const lesson = await startLesson(dir, { env: { TARGET: 'reuseport', PORT: '0', WORKERS: '2' } });
try {
  const [victim = 0] = lesson
    .stdout()
    .flatMap((line) => /worker \d+ \(pid (\d+)\) listening/.exec(line)?.[1] ?? [])
    .map(Number);
  const result = await killWithQueuedConnections('127.0.0.1', lesson.port, victim, 2);
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await lesson.dispose();
}
