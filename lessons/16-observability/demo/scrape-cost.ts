// What one scrape costs the primary, by number of workers: the primary asks
// each worker over IPC, waits for every answer, then merges them. Measured
// here as the median (and slowest) of 20 scrapes in a row, from the client,
// and as the round trip the primary itself reports (cluster_gather_seconds).
// The demo measures 1 and 4 workers; for the README's table run it alone:
//   node --import tsx lessons/16-observability/demo/scrape-cost.ts 1 2 4 8
import { fileURLToPath } from 'node:url';
import { startLesson } from '@cluster-course/shared/harness';
import { fresh } from '@cluster-course/shared/harness/http';
import { table } from '@cluster-course/shared/harness/narrate';
import { printedUrl, sample } from './observe.ts';

const SCRAPES = 20;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const ms = (value: number) => value.toFixed(1);

export async function scrapeCost(dir: string, counts: number[]): Promise<void> {
  const rows: string[][] = [];
  for (const workers of counts) {
    const lesson = await startLesson(dir, { env: { PORT: '0', WORKERS: String(workers) }, readyTimeoutMs: 60_000 });
    try {
      const url = printedUrl(lesson, 'metrics');
      await fresh(url); // the first scrape pays for code loading: not counted
      const took: number[] = [];
      const gather: number[] = [];
      let bytes = 0;
      for (let i = 0; i < SCRAPES; i++) {
        const began = performance.now();
        const { body } = await fresh(url);
        took.push(performance.now() - began);
        gather.push(sample(body, 'cluster_gather_seconds') * 1000);
        bytes = body.length;
      }
      rows.push([String(workers), ms(median(took)), ms(Math.max(...took)), ms(median(gather)), String(bytes)]);
      await lesson.stop('SIGTERM');
    } finally {
      await lesson.dispose();
    }
  }
  table(['workers', 'scrape ms (median)', 'scrape ms (slowest)', 'gather ms (median)', 'bytes'], rows);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const counts = process.argv.slice(2).map(Number);
  await scrapeCost(fileURLToPath(new URL('..', import.meta.url)), counts.length > 0 ? counts : [1, 2, 4, 8]);
}
