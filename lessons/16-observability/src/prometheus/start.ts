// The real Prometheus, started by the lesson: a generated configuration that
// scrapes the cluster's /metrics every second, its data in a private folder
// of this run, under lesson 13's watchdog (imported on purpose) so that it
// stops however the lesson ends, SIGKILL included.
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnUnderWatchdog } from '@cluster-course/13-nginx/watchdog';
import { reservePorts } from '@cluster-course/shared';
import { privateStateDir, removeStateDir } from '@cluster-course/shared/runtime/state-dir';

export interface Prometheus {
  url: string;
  /** Graceful stop (SIGTERM through the watchdog); resolves once it has exited and its folder is gone. */
  stop(): Promise<void>;
}

/** prometheus.yml: one job, the cluster's metrics, scraped every second. */
export function prometheusConfig(target: string, path: string): string {
  return [
    'global:',
    '  scrape_interval: 1s',
    '  scrape_timeout: 1s',
    '  evaluation_interval: 1s',
    'scrape_configs:',
    '  - job_name: cluster',
    `    metrics_path: ${path}`,
    '    static_configs:',
    `      - targets: ['${target}']`,
    '',
  ].join('\n');
}

/** Starts Prometheus on 127.0.0.1:`port`; resolves once it serves, rejects with its own error line if it exits first. */
export async function startPrometheus(bin: string, port: number, target: string, path: string): Promise<Prometheus> {
  const dir = privateStateDir('prometheus');
  writeFileSync(join(dir, 'prometheus.yml'), prometheusConfig(target, path));
  const child = spawnUnderWatchdog(
    bin,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=info',
    ],
    'TERM',
  );
  child.stdout?.resume();
  const exited = once(child, 'exit');
  const stop = async () => {
    child.stdin?.end();
    if (child.exitCode === null && child.signalCode === null) await exited;
    removeStateDir(dir);
  };
  let firstError = '';
  const ready = new Promise<void>((resolve, reject) => {
    // Its log is logfmt on stderr: `ts=... level=error ... msg="..." err="..."`.
    createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line) => {
      if (!firstError && /level=error/.test(line)) {
        firstError = /err="([^"]+)"/.exec(line)?.[1] ?? /msg="([^"]+)"/.exec(line)?.[1] ?? line;
      }
      if (/Server is ready to receive web requests/.test(line)) resolve();
    });
    void exited.then(([code]) =>
      reject(new Error(firstError || `prometheus exited (code ${code}) before it was ready`)),
    );
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await ready;
    await firstScrape(url);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, stop };
}

/**
 * Resolves once Prometheus has scraped the cluster once. "Ready to receive
 * web requests" comes before its first scrape (seconds before, measured
 * here), and a query until then finds nothing: the lesson's ready line
 * waits, so a learner's first query has an answer.
 */
async function firstScrape(url: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const res = await fetch(`${url}/api/v1/query?query=up`, { signal: AbortSignal.timeout(2_000) });
    const body = (await res.json()) as { data?: { result?: unknown[] } };
    if ((body.data?.result?.length ?? 0) > 0) return;
    await sleep(200);
  }
  throw new Error(`no scrape of the cluster within ${timeoutMs} ms`);
}

/** Prometheus scraping `metricsUrl`, on `port` (0: a free one). */
export async function startPrometheusFor(bin: string, metricsUrl: string, port: number): Promise<Prometheus> {
  const target = new URL(metricsUrl);
  // A wildcard address is where the cluster listens, not where to reach it.
  const host = ['0.0.0.0', '[::]'].includes(target.hostname) ? '127.0.0.1' : target.hostname;
  const listen = port || (await reservePorts(1))[0] || 0;
  return startPrometheus(bin, listen, `${host}:${target.port}`, target.pathname);
}
