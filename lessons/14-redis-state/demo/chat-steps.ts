// The demo's chat steps: one socket.io-client on each instance, through
// nginx, as tests/14-redis-state.test.ts does it.
import type { LessonProcess } from '@cluster-course/shared/harness';
import { expect, say } from '@cluster-course/shared/harness/narrate';
import { onEachInstance } from './chat-client.ts';
import { instancePrimary } from './fleet.ts';

/** A message said on instance 1: does the client on instance 2 hear it? With Redis, yes; in memory, no. */
export async function chatAcross(lesson: LessonProcess, crosses: boolean): Promise<void> {
  const [a, b] = await onEachInstance(lesson.url);
  try {
    await a.say('hello from instance 1');
    await b.say('hello from instance 2');
    // Its own message always comes back; with Redis, the other one too.
    await b.waitForMessages(crosses ? 2 : 1);
    const heard = b.received.map((m) => `"${m.text}"`).join(', ');
    say(`  the client on instance 2 heard: ${heard}`);
    expect(b.received.some((m) => m.instance === 1) === crosses, `the chat to ${crosses ? '' : 'not '}cross instances`);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
}

/**
 * The session of a client that instance 1 disconnected is in Redis once that
 * instance's worker has drained: the adapter writes it (a SET it does not
 * wait for) as the client is disconnected, and the drain ends by closing the
 * Redis connection, which waits for the commands in flight. A client that
 * reconnects before then can reach instance 2 before its session does.
 */
export async function sessionWritten(lesson: LessonProcess, since: number): Promise<void> {
  await lesson.waitForLine(/^\[instance 1\] .*drained; leaving the cluster/, { since });
}

/** Instance 1 drains (SIGTERM): its client comes back on instance 2, recovered, with what it missed. */
export async function drainRecovers(lesson: LessonProcess): Promise<void> {
  const [a, b] = await onEachInstance(lesson.url);
  try {
    await b.say('before');
    await a.waitForMessages(1);
    const closed = new Promise((resolve) => a.socket.once('disconnect', resolve));
    const since = lesson.mark();
    process.kill(instancePrimary(lesson, 1), 'SIGTERM');
    say(`  instance 1 drains; its client: disconnected (${await closed})`);
    await b.say('while away 1');
    await b.say('while away 2');
    await sessionWritten(lesson, since);
    const welcome = await a.connect();
    await a.waitForMessages(3);
    say(`  it reconnects: instance ${welcome.instance}, recovered: ${welcome.recovered}`);
    say(`  what it has now: ${a.received.map((m) => `"${m.text}"`).join(', ')}`);
    expect(welcome.instance === 2 && welcome.recovered && a.received.length === 3, 'a recovered session on instance 2');
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
}
