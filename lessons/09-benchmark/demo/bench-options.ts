// The command line of `pnpm bench` (demo/bench.ts). A bad option is one line
// and exit 2, like a bad environment variable.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { courseRoot } from '@cluster-course/shared/harness/lessons';
import { isTarget, reusePortSupported, TARGETS, type Target } from '../src/config.ts';

function fail(message: string): never {
  process.stderr.write(`pnpm bench: ${message}\n`);
  process.exit(2);
}

function number(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) fail(`--${name} must be a number from ${min} to ${max}`);
  return value;
}

function parse(args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        duration: { type: 'string' },
        warmup: { type: 'string' },
        connections: { type: 'string' },
        workers: { type: 'string' },
        route: { type: 'string', default: 'all' },
        'cpu-ms': { type: 'string' },
        targets: { type: 'string' },
        out: { type: 'string' },
        quick: { type: 'boolean', default: false },
      },
    }).values;
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
}

export function readBenchOptions(args: string[]) {
  const values = parse(args);
  const quick = values.quick;
  const options = {
    duration: number('duration', values.duration, quick ? 1 : 5, 0.5, 600),
    warmup: number('warmup', values.warmup, quick ? 0.25 : 1, 0, 60),
    connections: number('connections', values.connections, 8, 1, 1000),
    workers: number('workers', values.workers, availableParallelism(), 1, 64),
    cpuMs: number('cpu-ms', values['cpu-ms'], 20, 1, 1000),
    out: values.out ?? join(courseRoot, 'bench'),
  };

  if (!['all', 'hello', 'cpu'].includes(values.route ?? '')) fail('--route must be all, hello or cpu');
  const routes = [
    { name: '/hello', path: '/hello' },
    { name: '/cpu', path: `/cpu?ms=${options.cpuMs}` },
  ].filter((r) => values.route === 'all' || r.name === `/${values.route}`);

  const wanted = (values.targets ?? TARGETS.join(',')).split(',').map((t) => t.trim());
  const targets: Target[] = [];
  const unavailable: Target[] = [];
  for (const name of wanted) {
    if (!isTarget(name)) fail(`unknown target "${name}": use ${TARGETS.join(', ')}`);
    // SO_REUSEPORT for cluster workers needs Node.js 22.12+ or 23.1+.
    (name !== 'reuseport' || reusePortSupported() ? targets : unavailable).push(name);
  }
  return { options, routes, targets, unavailable };
}
