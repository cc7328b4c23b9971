// A worker killed between two scrapes of the real Prometheus, with the
// primary's ledger (LEDGER=1) and without it (LEDGER=0): what Prometheus
// stores, how many counter resets it sees, and what increase() makes of it.
import { startLesson } from '@cluster-course/shared/harness';
import { expect, say, table } from '@cluster-course/shared/harness/narrate';
import { promQuery, scrapedAfter } from '@cluster-course/shared/harness/prometheus';
import { hello, printedUrl } from './observe.ts';

const QUERY = 'http_requests_total{route="/hello",status="200"}';

export async function counterAcrossKill(dir: string): Promise<void> {
  const rows: string[][] = [];
  for (const ledger of ['1', '0']) {
    const lesson = await startLesson(dir, {
      env: { PORT: '0', WORKERS: '2', PROMETHEUS: '1', LEDGER: ledger },
      readyTimeoutMs: 60_000,
    });
    try {
      const base = printedUrl(lesson, 'prometheus');
      const says = async (query: string) => {
        const at = await scrapedAfter(base, Date.now() / 1000);
        return Number((await promQuery(base, query, at))[0]?.value[1] ?? Number.NaN);
      };
      const byPid = await hello(lesson, 8);
      const before = await says(QUERY);
      const since = lesson.mark();
      process.kill([...byPid.keys()][0] as number, 'SIGKILL');
      await lesson.waitForLine(/listening$/, { since });
      const killed = await says(QUERY); // a scrape between the kill and the next requests
      await hello(lesson, 4);
      const after = await says(QUERY);
      const resets = await says(`resets(${QUERY}[5m])`);
      const increase = await says(`increase(${QUERY}[5m])`);
      rows.push([ledger, String(before), String(killed), String(after), String(resets), increase.toFixed(1)]);
      if (ledger === '1') expect(after === 12 && resets === 0, 'with the ledger: 12 requests, no reset');
      else expect(resets === 1, 'without the ledger: a counter reset');
      await lesson.stop('SIGTERM');
    } finally {
      await lesson.dispose();
    }
  }
  table(['LEDGER', 'before the kill (8 sent)', 'after it', 'then (+4 sent)', 'resets()', 'increase() [5m]'], rows);
  say('12 requests were served. With the ledger the series only grows, and increase() counts the 4 sent after');
  say("Prometheus' first sample of 8 (extrapolated a little to the window: it is never an exact count). Without");
  say("it the sum drops by the dead worker's count; Prometheus takes the drop for a restart from zero and adds");
  say("the whole new value: increase() counts the survivor's old requests again.");
}
