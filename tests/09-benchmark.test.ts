import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLesson, startLesson } from '@cluster-course/shared/harness';
import { fresh } from '@cluster-course/shared/harness/http';
import { lessonDir } from '@cluster-course/shared/harness/lessons';
import { describe, expect, it } from 'vitest';
import { killWithQueuedConnections } from '../lessons/09-benchmark/demo/dying-listener.ts';
import { reusePortSupported } from '../lessons/09-benchmark/src/config.ts';
import { contractTests } from './contract.ts';

const dir = lessonDir('09');
const available = ['single', 'cluster', 'broker', ...(reusePortSupported() ? ['reuseport'] : [])];

describe('lesson 09: the benchmark', () => {
  it('`pnpm bench --quick` prints the table and writes results.json and results.md with a figure for every target', async () => {
    const out = mkdtempSync(join(tmpdir(), 'bench-'));
    try {
      const { exit, stdout } = await runLesson(dir, {
        entry: 'demo/bench.ts',
        args: ['--quick', '--workers', '2', '--cpu-ms', '5', '--out', out],
        timeoutMs: 90_000,
      });
      expect(exit.code, stdout.join('\n')).toBe(0);
      const text = stdout.join('\n');
      expect(text).toMatch(/target\s+route\s+req\/s\s+p50 ms\s+p99 ms\s+errors\s+vs single/);
      expect(text).toMatch(/Machine: \d+ cores/);
      for (const target of available) {
        for (const route of ['/hello', '/cpu']) {
          expect(text).toMatch(new RegExp(`^\\s+${target}\\s+${route}\\s+\\d+`, 'm'));
        }
      }
      if (!reusePortSupported()) expect(text).toContain('reuseport: unavailable');

      const json = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as {
        machine: { cores: number; node: string };
        rows: { target: string; route: string; rps: number; errors: number }[];
      };
      expect(json.machine.node).toBe(process.version);
      expect(json.rows.map((r) => `${r.target} ${r.route}`).sort()).toEqual(
        available.flatMap((t) => [`${t} /cpu`, `${t} /hello`]).sort(),
      );
      for (const row of json.rows) expect(row.rps).toBeGreaterThan(0);

      const md = readFileSync(join(out, 'results.md'), 'utf8');
      expect(md).toContain('| target | route | req/s |');
      for (const target of available) expect(md).toContain(`| ${target} | /cpu |`);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);

  it.each(available)(
    'TARGET=%s answers /hello and /cpu with the identity headers, and stops on SIGTERM',
    async (target) => {
      const lesson = await startLesson(dir, { env: { TARGET: target, PORT: '0', WORKERS: '2' } });
      const members = lesson.members().map((p) => p.pid);
      for (const path of ['/hello', '/cpu?ms=5']) {
        const reply = await fresh(new URL(path, lesson.url));
        expect(reply.status).toBe(200);
        expect(members).toContain(reply.workerPid);
        expect(reply.headers['x-worker-id']).toMatch(/^\d+$/);
      }
      const bad = await fresh(new URL('/cpu?ms=lots', lesson.url));
      expect(bad.status).toBe(400);
      expect(bad.body).toBe('ms must be an integer from 0 to 1000\n');
      expect(await lesson.stop('SIGTERM')).toMatchObject({ code: 0, signal: null });
    },
  );

  it.skipIf(reusePortSupported())('TARGET=reuseport says it is unavailable on this Node.js and exits 2', async () => {
    const { exit, stderr } = await runLesson(dir, { env: { TARGET: 'reuseport', PORT: '0' } });
    expect(exit.code).toBe(2);
    expect(stderr).toEqual([
      expect.stringMatching(/^TARGET=reuseport is unavailable: .* needs Node\.js 22\.12\+ or 23\.1\+/),
    ]);
  });

  it('bad options: an unknown target or route exits 2 with one line', async () => {
    const target = await runLesson(dir, { entry: 'demo/bench.ts', args: ['--targets', 'nginx'] });
    expect(target.exit.code).toBe(2);
    expect(target.stderr).toEqual(['pnpm bench: unknown target "nginx": use single, cluster, broker, reuseport']);
    const route = await runLesson(dir, { entry: 'demo/bench.ts', args: ['--route', 'all-of-them'] });
    expect(route.exit.code).toBe(2);
    const env = await runLesson(dir, { env: { TARGET: 'apache', PORT: '0' } });
    expect(env.exit.code).toBe(2);
    expect(env.stderr).toEqual(['invalid TARGET="apache": expected one of single, cluster, broker, reuseport']);
  });

  // The demo runs a quick benchmark: here, alone, rather than in tests/demos.test.ts.
  it('the demo (pnpm lesson 09 --demo) runs to exit 0', async () => {
    const { exit, stderr } = await runLesson(dir, {
      entry: 'demo/demo.ts',
      timeoutMs: 100_000,
      env: { NO_COLOR: '1' },
    });
    expect(exit.code, stderr.join('\n')).toBe(0);
  }, 120_000);

  it('reusePortSupported(): 22.12+, 23.1+, 24+', () => {
    expect(['20.19.0', '22.11.0', '22.12.0', '23.0.0', '23.1.0', '24.0.0'].map((v) => reusePortSupported(v))).toEqual([
      false,
      false,
      true,
      false,
      true,
      true,
    ]);
  });
});

function canUnshareNet(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  return spawnSync('unshare', ['--net', 'true']).status === 0 && spawnSync('ip', ['-V']).status === 0;
}

// Lesson 02 showed the connection round-robin strands on a dying worker, and
// that under `none` the kernel keeps it for a living one. reusePort is
// neither: each worker's socket has its own queue.
describe.skipIf(!reusePortSupported() || process.platform !== 'linux')(
  'lesson 09: reusePort and a worker that dies',
  () => {
    it("connections queued on a stopped worker's own socket wait there (the other worker never takes them) and are reset when it is killed", async () => {
      // A machine with net.ipv4.tcp_migrate_req=1 moves them to the other socket instead.
      const migrate = readFileSync('/proc/sys/net/ipv4/tcp_migrate_req', 'utf8').trim() === '1';
      const lesson = await startLesson(dir, { env: { TARGET: 'reuseport', PORT: '0', WORKERS: '2' } });
      const [victim = 0, survivor = 0] = lesson
        .stdout()
        .flatMap((line) => /worker \d+ \(pid (\d+)\) listening/.exec(line)?.[1] ?? [])
        .map(Number);
      const { queued, answeredMeanwhile } = await killWithQueuedConnections('127.0.0.1', lesson.port, victim, 2);
      expect(queued).toEqual(migrate ? ['answered', 'answered'] : ['reset', 'reset']);
      // While the victim was stopped, what the kernel gave the other socket was served at once.
      for (const pid of answeredMeanwhile) expect(pid).toBe(survivor);
      // The survivor serves on; nothing replaces the victim (this target has no respawn).
      expect((await fresh(new URL('/hello', lesson.url))).workerPid).toBe(survivor);
    });

    // The same experiment with net.ipv4.tcp_migrate_req=1, set in a network
    // namespace of its own (root and unshare needed), so the machine's setting stays.
    it.runIf(canUnshareNet())(
      'with net.ipv4.tcp_migrate_req=1 (in a private network namespace) the queued connections move to the other worker and are answered',
      async () => {
        const setup = 'ip link set lo up && sysctl -qw net.ipv4.tcp_migrate_req=1 && exec "$0" "$@"';
        const run = await runLesson(dir, {
          entry: 'demo/dying-listener-run.ts',
          wrap: ['unshare', '--net', 'sh', '-c', setup],
          timeoutMs: 25_000,
        });
        expect(run.exit.code, run.stderr.join('\n')).toBe(0);
        const { queued } = JSON.parse(run.stdout.at(-1) ?? '{}') as { queued: string[] };
        expect(queued).toEqual(['answered', 'answered']);
      },
    );
  },
);

contractTests('09-benchmark');
