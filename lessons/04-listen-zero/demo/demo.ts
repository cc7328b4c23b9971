// Demo of lesson 04: the same cluster with PORT=0, once in each PORT_MODE,
// and a table of which worker got which port.
import { type LessonProcess, startLesson } from '@cluster-course/shared/harness';
import { fresh } from '@cluster-course/shared/harness/http';
import { expect, say, step, table } from '@cluster-course/shared/harness/narrate';

const dir = new URL('..', import.meta.url).pathname;
const listening = /worker (\d+) \(pid (\d+)\) listening on (http:\S+)$/;

async function show(mode: 'shared' | 'per-worker'): Promise<Set<string>> {
  step(`PORT=0 PORT_MODE=${mode} WORKERS=3`);
  const lesson: LessonProcess = await startLesson(dir, { env: { PORT: '0', WORKERS: '3', PORT_MODE: mode } });
  try {
    const rows = (await lesson.waitForLines(listening, 3)).map(([, id, pid, url]) => [id ?? '', pid ?? '', url ?? '']);
    rows.sort((a, b) => Number(a[0]) - Number(b[0]));
    // Ask each listed URL who answers it.
    for (const row of rows) row.push(String((await fresh(row[2] ?? '')).workerId));
    table(['worker', 'pid', 'listening on', 'answered by worker'], rows);
    await lesson.stop('SIGTERM');
    return new Set(rows.map((row) => row[2] ?? ''));
  } finally {
    await lesson.dispose();
  }
}

const shared = await show('shared');
say(`\n${shared.size} port for 3 workers: listen(0) is random the first time, and every later`);
say('worker asking for port 0 gets the socket the primary already has.');
expect(shared.size === 1, 'one port in shared mode');

const perWorker = await show('per-worker');
say(`\n${perWorker.size} ports: with exclusive: true each worker binds its own socket, so the kernel`);
say('picks a free port for each, and only that worker answers on it.');
expect(perWorker.size === 3, 'three ports in per-worker mode');
