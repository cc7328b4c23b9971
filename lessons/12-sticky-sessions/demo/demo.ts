// Demo of lesson 12: the same 20 chat clients against each mode, counted:
// how many connect, how many workers they reach, how many hear a broadcast,
// and what routing every connection through the primary costs.
import { startLesson } from '@cluster-course/shared/harness';
import { freshMany } from '@cluster-course/shared/harness/http';
import { expect, replay, say, step, table } from '@cluster-course/shared/harness/narrate';
import { broadcastReach, connectMany, manyLoopbackAddresses, type Transports, whoami } from './clients.ts';

const dir = new URL('..', import.meta.url).pathname;
const CLIENTS = 20;
const addresses = await manyLoopbackAddresses();
if (!addresses) say('(this machine cannot send from 127.0.0.2: every client uses 127.0.0.1)');

interface Row {
  mode: string;
  transports: Transports;
  addresses: boolean;
}
const rows: Row[] = [
  { mode: 'plain', transports: ['polling'], addresses },
  { mode: 'plain', transports: ['websocket'], addresses },
  { mode: 'sticky', transports: ['polling'], addresses },
  { mode: 'sticky', transports: ['polling'], addresses: false },
  { mode: 'library', transports: ['polling', 'websocket'], addresses: false },
];
const results: (string | number)[][] = [];
const costs: (string | number)[][] = [];

for (const row of rows) {
  const from = row.addresses ? `${CLIENTS} addresses` : 'one address';
  step(`MODE=${row.mode} WORKERS=2 pnpm lesson 12; ${CLIENTS} clients, ${row.transports.join(' then ')}, from ${from}`);
  const lesson = await startLesson(dir, { env: { MODE: row.mode, PORT: '0', WORKERS: '2' } });
  try {
    const mark = lesson.lines.length;
    const clients = await connectMany(lesson.url, CLIENTS, row.transports, row.addresses);
    // Plain polling: a client that got through its handshake by luck breaks
    // at its next request that lands on the other worker. Nothing to ask it.
    const broken = row.mode === 'plain' && row.transports[0] === 'polling';
    const who = broken ? [] : await Promise.all(clients.connected.map(whoami));
    const workers = new Set(who.map((w) => w.workerPid));
    const reach = broken ? 0 : await broadcastReach(clients.connected);
    clients.close();
    const refused = lesson.lines.slice(mark).filter((l) => /Session ID unknown/.test(l.text));
    replay(lesson, Math.max(mark, lesson.lines.length - 3));
    say(`  ${refused.length} requests refused with "Session ID unknown"`);
    results.push([
      row.mode,
      row.transports.join('+'),
      from,
      `${CLIENTS - clients.failed}/${CLIENTS}`,
      broken ? '-' : workers.size,
      broken ? '-' : `${reach}/${clients.connected.length}`,
    ]);
    if (row.mode === 'plain' && row.transports[0] === 'polling')
      expect(clients.failed > 0, 'polling to break in plain');
    if (row.mode === 'library') {
      const what = `library: all connect (${CLIENTS - clients.failed}/${CLIENTS}), all hear (${reach}/${CLIENTS})`;
      expect(clients.failed === 0 && reach === CLIENTS, what);
    }
    if (!row.addresses || row.transports[0] !== 'polling') {
      // The cost of the front door: 300 plain HTTP requests, each on its own connection.
      const started = performance.now();
      await freshMany(new URL('/whoami', lesson.url), 300, 4);
      costs.push([row.mode, `${((performance.now() - started) / 300).toFixed(2)} ms`]);
    }
  } finally {
    await lesson.stop('SIGTERM');
    await lesson.dispose();
  }
}

step('what each mode did with the same clients');
table(['MODE', 'transports', 'from', 'connected', 'workers used', 'heard a broadcast'], results);
say('  plain + polling: the few that connected got through the handshake by luck; their next');
say('  request on the other worker breaks them.');
step('what the front door costs: 300 GET /whoami, 4 at a time, each on a new connection');
table(['MODE', 'per request'], costs);
say('  In every mode the primary accepts each connection and passes it to a worker: node:cluster');
say('  does so too under round-robin (lesson 07). Sticky adds a hash of the address, library a read');
say('  of the first bytes: no difference this small test can see. The primary is still one process');
say('  every connection goes through, so under a flood of new connections it is the first to saturate.');
