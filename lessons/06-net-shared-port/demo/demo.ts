// Demo of lesson 06: TCP connections and their greetings, a short
// conversation, and who holds the listening socket under each policy.
import { startLesson } from '@cluster-course/shared/harness';
import { expect, say, step } from '@cluster-course/shared/harness/narrate';
import { connectLines } from '@cluster-course/shared/harness/tcp';

const dir = new URL('..', import.meta.url).pathname;

for (const policy of ['rr', 'none'] as const) {
  step(`NODE_CLUSTER_SCHED_POLICY=${policy}, 3 workers`);
  const lesson = await startLesson(dir, { env: { PORT: '0', WORKERS: '3', NODE_CLUSTER_SCHED_POLICY: policy } });
  try {
    if (policy === 'rr') {
      say('4 connections, one after another (like running nc 4 times):');
      for (let i = 1; i <= 4; i++) {
        const client = await connectLines(lesson.url);
        say(`  connection ${i}: ${await client.next()}`);
        client.close();
      }
      say('A short conversation:');
      const client = await connectLines(lesson.url);
      say(`  < ${await client.next()}`);
      for (const line of ['ping', 'how are you?', 'quit']) {
        say(`  > ${line}`);
        client.send(line);
        say(`  < ${await client.next()}`);
      }
      await client.closed;
    }
    const owners = lesson.stdout().find((l) => l.includes('LISTEN socket')) ?? '';
    say(`\nWho holds the listening socket (the lesson asks /proc, like lsof -i :${lesson.port}):`);
    say(`  ${owners.replace(/^\[primary \d+\] /, '')}`);
    expect(owners !== '', 'a line about the LISTEN socket');
    await lesson.stop('SIGTERM');
  } finally {
    await lesson.dispose();
  }
}
say('\nUnder rr only the primary has the socket: it accepts and passes connections on.');
say('Under none every worker has it too, and each accepts connections itself.');
