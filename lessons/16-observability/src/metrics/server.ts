// The primary's own HTTP server, on METRICS_PORT: the cluster's /metrics
// (with METRICS=cluster) and the live page. It runs in the primary, the one
// process that must never stall: all it does per scrape is the IPC round
// trip and a merge of small JSON objects (the demo measures what that costs
// as workers are added).
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeListenError } from '@cluster-course/shared';
import type { Roster } from '../live/roster.ts';
import { liveStream } from '../live/stream.ts';
import type { CounterLedger } from './ledger.ts';
import { scrapeCluster } from './scrape.ts';

const page = (file: string) => readFileSync(new URL(`../page/${file}`, import.meta.url));
const files: Record<string, [string, Buffer]> = {
  '/': ['text/html; charset=utf-8', page('index.html')],
  '/page.css': ['text/css; charset=utf-8', page('page.css')],
  '/page.js': ['text/javascript; charset=utf-8', page('page.js')],
};

export interface MetricsServerOptions {
  roster: Roster;
  ledger: CounterLedger;
  timeoutMs: number;
  /** false with METRICS=worker: the workers serve /metrics themselves. */
  serveMetrics: boolean;
  log(line: string): void;
}

export function metricsServer({ roster, ledger, timeoutMs, serveMetrics, log }: MetricsServerOptions): http.Server {
  const live = liveStream(roster, ledger, timeoutMs);
  return http.createServer(async (req, res) => {
    const reply = (status: number, type: string, body: string | Buffer) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
    };
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'GET') return reply(405, 'text/plain', 'method not allowed: use GET\n');
    if (pathname === '/events') return live.open(req, res);
    const file = files[pathname];
    if (file) return reply(200, file[0], file[1]);
    if (pathname !== '/metrics') return reply(404, 'text/plain', 'not found\n');
    if (!serveMetrics)
      return reply(404, 'text/plain', "METRICS=worker: each worker serves /metrics on the app's port\n");
    try {
      const scrape = await scrapeCluster(roster.alive(), ledger, timeoutMs);
      const missing = scrape.gathered.asked.filter((worker) => !scrape.gathered.answers.has(worker));
      if (missing.length > 0) {
        log(
          `scrape: no answer in ${timeoutMs} ms from ${missing.map((w) => `worker ${w.id} (pid ${w.process.pid})`).join(', ')}`,
        );
      }
      reply(200, scrape.contentType, scrape.text);
    } catch (err) {
      log(`scrape failed: ${(err as Error).message}`);
      reply(500, 'text/plain', 'the scrape failed; see the primary log\n');
    }
  });
}

/** Listens; resolves with the port. A taken port: one line naming it, exit 1 (before any worker exists). */
export async function listenOrExit(server: http.Server, host: string, port: number): Promise<number> {
  server.listen(port, host);
  const [failed] = await Promise.race([once(server, 'error'), once(server, 'listening').then(() => [])]);
  if (failed) {
    process.stderr.write(`${describeListenError(failed, host, port).replace('PORT=', 'METRICS_PORT=')}\n`);
    process.exit(1);
  }
  return (server.address() as AddressInfo).port;
}
