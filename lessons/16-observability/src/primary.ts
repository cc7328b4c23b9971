// The primary: fork the workers, keep the roster (src/live/roster.ts), replace
// a worker that dies, serve the cluster's metrics and the live page on
// METRICS_PORT (src/metrics/server.ts), and, with PROMETHEUS=1, run the real
// Prometheus against them. SIGHUP: a rolling restart; SIGINT/SIGTERM: stop.
import cluster, { type Worker } from 'node:cluster';
import { announceReady, isListenFailed, primaryLogger, startPrimary, stopWorkers, urlOf } from '@cluster-course/shared';
import { config } from './config.ts';
import { Roster } from './live/roster.ts';
import { CounterLedger } from './metrics/ledger.ts';
import { restarts } from './metrics/own.ts';
import { listenOrExit, metricsServer } from './metrics/server.ts';
import { findPrometheus, missingPrometheus } from './prometheus/binary.ts';
import { type Prometheus, startPrometheusFor } from './prometheus/start.ts';
import { rollingRestart } from './rolling-restart.ts';

const log = primaryLogger();
const name = (worker: Worker) => `worker ${worker.id} (pid ${worker.process.pid})`;

export async function runPrimary(): Promise<void> {
  const prometheusBin = config.prometheus ? findPrometheus() : undefined;
  if (config.prometheus && !prometheusBin) {
    process.stderr.write(`${missingPrometheus()}\n`);
    process.exit(2);
  }
  await startPrimary({
    log,
    host: config.host,
    ports: [config.port, config.metricsPort],
    about: `METRICS=${config.metrics}`,
  });
  const roster = new Roster();
  const ledger = new CounterLedger(config.ledger);
  let stopping = false;
  let restarting = false;
  let prometheus: Prometheus | undefined;

  // The metrics server first: its port is known (and checked) before any fork.
  const server = metricsServer({
    roster,
    ledger,
    timeoutMs: config.gatherTimeoutMs,
    serveMetrics: config.metrics === 'cluster',
    log,
  });
  const metricsPort = await listenOrExit(server, config.host, config.metricsPort);
  const pageUrl = `${urlOf('http', config.host, metricsPort)}/`;

  const fork = (why: string) => {
    const worker = cluster.fork();
    roster.add(worker, why);
    log(`${name(worker)} forked ${why}`);
    return worker;
  };

  async function stop(reason: string, code: number): Promise<void> {
    if (stopping) return;
    stopping = true;
    const workers = roster.alive();
    log(`${reason}: stopping ${workers.length} workers`);
    await Promise.all([
      stopWorkers(workers, { isListening: (worker) => roster.members.get(worker.id)?.state === 'serving' }),
      prometheus?.stop(),
    ]);
    process.exit(code);
  }

  let ready = false;
  cluster.on('listening', async (worker, address) => {
    roster.set(worker, 'serving');
    log(`${name(worker)} listening`);
    if (ready || roster.count('serving') < config.workers) return;
    ready = true; // once: the last of the first workers, not the first (lesson 01)
    const appUrl = urlOf('http', config.host, address.port);
    const metricsUrl =
      config.metrics === 'cluster' ? `${urlOf('http', config.host, metricsPort)}/metrics` : `${appUrl}/metrics`;
    log(`metrics: ${metricsUrl}`);
    log(`live page: ${pageUrl}`);
    if (prometheusBin) {
      const began = Date.now();
      try {
        prometheus = await startPrometheusFor(prometheusBin, metricsUrl, config.prometheusPort);
      } catch (err) {
        process.stderr.write(`prometheus could not start: ${(err as Error).message}\n`);
        return void stop('prometheus failed', 1);
      }
      log(
        `prometheus: ${prometheus.url} (scrapes ${metricsUrl} every second; first scrape ${Date.now() - began} ms after its start)`,
      );
    }
    if (!stopping) announceReady(appUrl, `${config.workers} workers, METRICS=${config.metrics}`);
  });

  cluster.on('exit', (worker, code, signal) => {
    const member = roster.members.get(worker.id);
    const wasServing = member?.state === 'serving';
    const exit = signal ?? `code ${code}`;
    roster.set(worker, 'exited', exit);
    void ledger.retire(worker.id);
    log(`${name(worker)} exited (${exit})`);
    if (stopping) return;
    // A crash: replace it at once if it had served (lesson 02 adds backoff;
    // one that never served is not replaced, so no crash loop starts here).
    if (wasServing) {
      restarts.inc({ reason: 'exit' });
      fork(`to replace worker ${worker.id}`);
    } else if (roster.alive().length === 0) void stop('no workers left', 1);
  });

  cluster.on('message', (_worker, message) => {
    if (!isListenFailed(message) || stopping) return;
    process.stderr.write(`${message.message}\n`);
    void stop('cannot listen', 1);
  });

  for (let i = 0; i < config.workers; i++) fork('at start');
  process.on('SIGINT', () => void stop('SIGINT', 0));
  process.on('SIGTERM', () => void stop('SIGTERM', 0));
  process.on('SIGHUP', async () => {
    if (restarting || stopping || !ready) return log('SIGHUP: not now (starting, stopping or restarting already)');
    restarting = true;
    await rollingRestart({
      old: roster.alive(),
      fork: (why) => {
        restarts.inc({ reason: 'rolling restart' });
        return fork(why);
      },
      retiring: (worker) => roster.set(worker, 'draining'),
      ledger,
      timeoutMs: config.gatherTimeoutMs,
      stopping: () => stopping,
      log,
    });
    restarting = false;
  });
}
