// Lesson 16's settings. The app listens on PORT; the primary serves the
// cluster's metrics and the live page on METRICS_PORT, and Prometheus (with
// PROMETHEUS=1) listens on PROMETHEUS_PORT. PORT=0 makes both "any free port".
import { badEnv, choiceEnv, flagEnv, intEnv, readServerEnv } from '@cluster-course/shared';

/** This lesson's default port: 3000 + 100 × 16. */
export const DEFAULT_PORT = 4600;

/** `cluster`: the primary aggregates every worker; `worker`: each worker serves its own (the break). */
export const MODES = ['cluster', 'worker'] as const;

function readConfig() {
  const server = readServerEnv(DEFAULT_PORT);
  const next = (offset: number) => (server.port === 0 ? 0 : Math.min(server.port + offset, 65535));
  const config = {
    ...server,
    metrics: choiceEnv('METRICS', 'cluster', MODES),
    metricsPort: intEnv('METRICS_PORT', next(1), 0, 65535),
    /** How long a scrape waits for the workers' answers before it reports the missing ones. */
    gatherTimeoutMs: intEnv('GATHER_TIMEOUT_MS', 500, 50, 10_000),
    prometheus: flagEnv('PROMETHEUS'),
    prometheusPort: intEnv('PROMETHEUS_PORT', next(2), 0, 65535),
    /** Keep the counts of workers that are gone in the cluster's totals (src/metrics/ledger.ts). */
    ledger: flagEnv('LEDGER', true),
  };
  // Two servers cannot share a port (0 is "any free port", never a clash).
  const taken = (port: number) => port !== 0 && port === config.port;
  if (taken(config.metricsPort)) badEnv('METRICS_PORT', String(config.metricsPort), 'a port other than PORT');
  if (config.prometheus && (taken(config.prometheusPort) || config.prometheusPort === config.metricsPort)) {
    if (config.prometheusPort !== 0) {
      badEnv('PROMETHEUS_PORT', String(config.prometheusPort), 'a port other than PORT and METRICS_PORT');
    }
  }
  return config;
}

export const config = readConfig();
export type Config = typeof config;
