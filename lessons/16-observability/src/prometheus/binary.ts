// Prometheus is a system package (or a download), not an npm one: the lesson
// finds the binary, or says in one line how to install it and exits 2.
import { spawnSync } from 'node:child_process';
import { findSystemBinary } from '@cluster-course/shared/runtime/system-binary';

export const INSTALL_HINT =
  'install it with `apt-get install prometheus` (Debian, Ubuntu), `brew install prometheus` (macOS), or see https://prometheus.io/download/';

/** PROMETHEUS_BIN if set (a path to the binary), else `prometheus` on PATH. Undefined when none. */
export function findPrometheus(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return findSystemBinary(['prometheus'], env.PROMETHEUS_BIN, env);
}

/** The one line said when Prometheus cannot be found. */
export function missingPrometheus(env: NodeJS.ProcessEnv = process.env): string {
  const where = env.PROMETHEUS_BIN?.trim()
    ? `PROMETHEUS_BIN=${env.PROMETHEUS_BIN.trim()} is not an executable`
    : 'prometheus is not installed';
  return `${where}: PROMETHEUS=1 runs the real Prometheus; ${INSTALL_HINT}`;
}

/** e.g. "2.42.0" (`prometheus --version` prints "prometheus, version 2.42.0+ds ..."). */
export function prometheusVersion(bin: string): string {
  const { stdout, stderr } = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  return /version (\d+\.\d+\.\d+)/.exec(`${stdout}${stderr}`)?.[1] ?? 'unknown';
}
