// The live page's feed: Server-Sent Events, one JSON snapshot of the cluster
// a second, while at least one page is open. SSE is plain HTTP (a response
// that never ends, `data: ...` blocks), the browser's EventSource reconnects
// by itself, and the primary needs no WebSocket library for one-way news.
// Each tick is a gather of its own (src/metrics/gather.ts), so the page shows
// a worker that stops answering the moment it stops.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gather } from '../metrics/gather.ts';
import type { CounterLedger } from '../metrics/ledger.ts';
import type { Roster } from './roster.ts';
import { LiveRows } from './rows.ts';

export const TICK_MS = 1_000;

export function liveStream(roster: Roster, ledger: CounterLedger, timeoutMs: number) {
  const pages = new Set<ServerResponse>();
  const rows = new LiveRows();
  let timer: NodeJS.Timeout | undefined;
  let busy = false;

  async function tick(): Promise<void> {
    if (busy) return; // the last gather is still waiting for a slow worker
    busy = true;
    try {
      const gathered = await gather(roster.alive(), Math.min(timeoutMs, TICK_MS));
      const at = Date.now();
      for (const [worker, answer] of gathered.answers) {
        ledger.record(worker.id, answer.requests);
        rows.record(worker.id, answer.requests, at);
      }
      const members = [...roster.members.values()];
      const snapshot = {
        at,
        primary: process.pid,
        rows: members.map((member) =>
          rows.row(member, gathered.answers.get(member.worker)?.process, gathered.asked.includes(member.worker)),
        ),
      };
      for (const page of pages) page.write(`data: ${JSON.stringify(snapshot)}\n\n`);
    } finally {
      busy = false;
    }
  }

  return {
    open(req: IncomingMessage, res: ServerResponse): void {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      pages.add(res);
      req.once('close', () => {
        pages.delete(res);
        if (pages.size === 0) timer = void clearInterval(timer);
      });
      timer ??= setInterval(tick, TICK_MS);
      void tick();
    },
  };
}
