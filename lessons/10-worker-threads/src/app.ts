// The HTTP app, the same in every mode. Only `run` differs: it runs a CPU
// task inline on the main thread (blocking, cluster) or on a pool thread
// (threads). The app awaits it either way; inline, the await comes too late:
// the work has already blocked the event loop.
import http from 'node:http';
import { MAX_CPU_MS, type Mode } from './config.ts';
import type { CpuResult, CpuTask } from './cpu-task.ts';
import { loopStats } from './event-loop.ts';

export interface AppOptions {
  mode: Mode;
  /** x-worker-id: the cluster worker's id, or 1 for the single process. */
  workerId: number;
  run(task: Omit<CpuTask, 'iterationsPerMs' | 'counter'>): Promise<CpuResult>;
  /** Threads in the pool now (MODE=threads), for /stats. */
  threads?(): number;
  /** The process's task counter (shared by its threads), for /stats. */
  tasksRun(): number;
  log(line: string): void;
}

function reply(res: http.ServerResponse, status: number, body: object, threadId = 0): void {
  res.statusCode = status;
  res.setHeader('x-thread-id', threadId);
  res.setHeader('content-type', 'application/json');
  res.end(`${JSON.stringify(body)}\n`);
}

export function createApp(options: AppOptions): http.Server {
  const { mode, workerId, run, log } = options;

  async function runAndReply(res: http.ServerResponse, task: Parameters<AppOptions['run']>[0]) {
    try {
      const result = await run(task);
      reply(res, 200, { ms: task.ms, ...result }, result.threadId);
    } catch (err) {
      // A task that throws (GET /boom does on purpose) rejects the promise,
      // inline or on a thread. The details go to the log; the client gets a
      // status and a short message.
      log(`GET ${task.kind === 'boom' ? '/boom' : '/cpu'}: ${(err as Error).message}`);
      reply(res, 500, { error: 'the CPU task failed' });
    }
  }
  return http.createServer(async (req, res) => {
    res.setHeader('x-worker-id', workerId);
    res.setHeader('x-worker-pid', process.pid);
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'GET') return reply(res, 405, { error: 'method not allowed: use GET' });

    if (url.pathname === '/hello') return reply(res, 200, { hello: 'world', mode, pid: process.pid });

    if (url.pathname === '/stats') {
      const threads = options.threads?.();
      return reply(res, 200, { mode, pid: process.pid, ...loopStats(), threads, tasksRun: options.tasksRun() });
    }

    if (url.pathname === '/cpu') {
      const raw = url.searchParams.get('ms') ?? '';
      const ms = /^\d{1,4}$/.test(raw) ? Number(raw) : Number.NaN;
      if (!(ms <= MAX_CPU_MS)) return reply(res, 400, { error: `ms must be an integer from 0 to ${MAX_CPU_MS}` });
      log(
        mode === 'threads' ? `GET /cpu?ms=${ms}: to the pool` : `GET /cpu?ms=${ms}: on the main thread, loop blocked`,
      );
      return runAndReply(res, { kind: 'cpu', ms });
    }
    if (url.pathname === '/boom') return runAndReply(res, { kind: 'boom', ms: 0 });
    return reply(res, 404, { error: 'not found' });
  });
}
