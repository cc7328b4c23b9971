// The lesson contract (../shared/COURSE.md), as tests every lesson runs from
// its own test file: bad environment, ready line, identity headers, SIGINT /
// SIGTERM, SIGKILL of the primary, port in use.
import { once } from 'node:events';
import { createServer } from 'node:net';
import { runLesson, startLesson } from '@cluster-course/shared/harness';
import { fresh } from '@cluster-course/shared/http';
import { lessonDir } from '@cluster-course/shared/lessons';
import { waitForGone } from '@cluster-course/shared/proc';
import { describe, expect, it } from 'vitest';

export interface ContractOptions {
  /** Environment the lesson needs on top of PORT=0 and WORKERS=2. */
  env?: Record<string, string>;
  /** `tcp` lessons have no HTTP headers to check. */
  protocol?: 'http' | 'tcp';
  /** Path whose answer must carry the identity headers. */
  identityPath?: string;
}

const badEnvironments: [string, string][] = [
  ['WORKERS', 'abc'],
  ['WORKERS', '0'],
  ['WORKERS', '65'],
  ['PORT', '99999'],
  ['PORT', '-1'],
];

export function contractTests(folder: string, options: ContractOptions = {}): void {
  const dir = lessonDir(folder);
  const env = { PORT: '0', WORKERS: '2', ...options.env };
  const protocol = options.protocol ?? 'http';

  const extra = Object.entries(options.env ?? {}).map(([key, value]) => ` ${key}=${value}`);
  describe(`lesson contract (${folder}${extra.join('')})`, () => {
    it.each(badEnvironments)('%s=%s exits 2 with one line naming the variable and value', async (name, value) => {
      const { exit, stdout, stderr } = await runLesson(dir, { env: { ...env, [name]: value } });
      expect(exit.code).toBe(2);
      expect(stderr.filter((line) => line.trim())).toHaveLength(1);
      expect(stderr[0]).toContain(name);
      expect(stderr[0]).toContain(value);
      expect(stdout.join('\n')).not.toMatch(/\bready\b/);
    });

    it(`prints a ready line with a ${protocol}:// URL on 127.0.0.1 by default`, async () => {
      const lesson = await startLesson(dir, { env: { ...env, HOST: undefined } });
      expect(lesson.url).toMatch(new RegExp(`^${protocol}://127\\.0\\.0\\.1:\\d+$`));
      expect(lesson.port).toBeGreaterThan(0);
      expect(lesson.stdout().filter((line) => /\bready\b.*\b(https?|tcp):\/\//.test(line))).toHaveLength(1);
    });

    if (protocol === 'http') {
      it('answers with x-worker-id and x-worker-pid of a process of the lesson', async () => {
        const lesson = await startLesson(dir, { env });
        const reply = await fresh(new URL(options.identityPath ?? '/', lesson.url));
        expect(reply.workerId).toBeGreaterThan(0);
        expect(lesson.members().map((p) => p.pid)).toContain(reply.workerPid);
        expect(reply.body).not.toMatch(/\n\s+at /);
      });
    }

    it.each(['SIGTERM', 'SIGINT'] as const)('%s stops every process within 5 s with exit code 0', async (signal) => {
      const lesson = await startLesson(dir, { env });
      const pids = lesson.members().map((p) => p.pid);
      expect(pids.length).toBeGreaterThan(1);
      const sent = Date.now();
      lesson.signal(signal);
      const exit = await lesson.waitForExit(5_000);
      expect(exit).toMatchObject({ code: 0, signal: null });
      expect(await waitForGone(pids, Math.max(0, 5_000 - (Date.now() - sent)))).toBe(true);
    });

    it('SIGKILL of the primary leaves no process of the lesson after 3 s', async () => {
      const lesson = await startLesson(dir, { env });
      const pids = lesson.members().map((p) => p.pid);
      expect(pids.length).toBeGreaterThan(1);
      lesson.signal('SIGKILL');
      await lesson.exited;
      expect(await waitForGone(pids, 3_000)).toBe(true);
    });

    it('a port in use: one line naming the port, exit 1 within 5 s, no respawn loop', async () => {
      const blocker = createServer();
      blocker.listen(0, '127.0.0.1');
      await once(blocker, 'listening');
      const port = (blocker.address() as { port: number }).port;
      try {
        const { exit, stderr } = await runLesson(dir, { env: { ...env, PORT: String(port) }, timeoutMs: 5_000 });
        expect(exit.code).toBe(1);
        expect(stderr.filter((line) => line.trim())).toHaveLength(1);
        expect(stderr[0]).toContain(String(port));
      } finally {
        blocker.close();
      }
    });
  });
}
