// Request helpers. The cluster balances connections, not requests, so a
// helper must say which it uses:
// - fresh(): a new TCP connection for one request, closed afterwards; many of
//   these show how connections spread over the workers.
// - keepAlive(): one connection reused for every request; it shows that a
//   connection stays with the worker that accepted it.
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'undici';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** `x-worker-id` of the worker that answered (NaN when absent). */
  workerId: number;
  /** `x-worker-pid` of the worker that answered (NaN when absent). */
  workerPid: number;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Abort the request after this many ms (default 10 s). */
  timeoutMs?: number;
  /** fresh() only: connect from this local address (e.g. 127.0.0.5, to look like another client). */
  localAddress?: string;
}

function header(headers: Reply['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function send(client: Client, path: string, opts: RequestOptions): Promise<Reply> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const res = await client.request({
    path,
    method: (opts.method ?? 'GET') as 'GET',
    headers: opts.headers,
    body: opts.body,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  const body = await res.body.text();
  return {
    status: res.statusCode,
    headers: res.headers,
    body,
    workerId: Number(header(res.headers, 'x-worker-id')),
    workerPid: Number(header(res.headers, 'x-worker-pid')),
  };
}

/** One request on a connection of its own, closed when the answer is read. */
export async function fresh(url: string | URL, opts: RequestOptions = {}): Promise<Reply> {
  const target = new URL(url);
  const client = new Client(target.origin, { pipelining: 0, localAddress: opts.localAddress });
  try {
    return await send(client, target.pathname + target.search, opts);
  } finally {
    await client.destroy();
  }
}

/** `count` requests, each on a fresh connection, at most `concurrency` at once. */
export async function freshMany(url: string | URL, count: number, concurrency = 8, opts: RequestOptions = {}) {
  const replies: Reply[] = new Array(count);
  let next = 0;
  async function lane() {
    while (next < count) {
      const i = next++;
      replies[i] = await fresh(url, opts);
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  return replies;
}

export interface KeepAlive {
  /** A request over the shared connection. */
  request(path: string, opts?: RequestOptions): Promise<Reply>;
  close(): Promise<void>;
}

/**
 * One kept-alive connection to `origin`: an undici Client is a single
 * connection, and with pipelining 1 the requests go one after another on it.
 */
export function keepAlive(origin: string | URL): KeepAlive {
  const client = new Client(new URL(origin).origin, { pipelining: 1, keepAliveTimeout: 30_000 });
  return {
    request: (path, opts = {}) => send(client, path, opts),
    close: () => client.close(),
  };
}

export interface Load {
  /** Requests answered with a 2xx status. */
  ok: number;
  /** Requests that failed: an error status, a reset, a timeout. */
  failed: number;
  /** Answers per worker pid. */
  byPid: Map<number, number>;
  /** The first few failures, for error messages. */
  errors: string[];
  /** Resolves once `count` requests have succeeded; rejects after `timeoutMs` (default 30 s) or if the load ends first. */
  succeeded(count: number, timeoutMs?: number): Promise<void>;
  /** Resolves with the first worker pid that answered and passes `test`; rejects like succeeded(). */
  answeredBy(test: (pid: number) => boolean, timeoutMs?: number): Promise<number>;
  /** Stop sending and wait for the requests in flight. */
  stop(): Promise<void>;
}

/**
 * Continuous load for tests and demos that break things while traffic
 * flows: `lanes` loops, each sending one request at a time on a fresh
 * connection, until stop(), or `maxMs` after the start so it always ends.
 *
 * Each lane starts a request at most every `intervalMs` (default 5 ms:
 * 400 a second with 2 lanes), answered or failed: a refused connection
 * fails in a fraction of a millisecond, and an unpaced lane would spin on
 * refusals and take a core from the restart it is watching.
 *
 * Waits are bounded by time and by the event they wait for, never by a
 * count of requests: how many requests fit in a restart depends on the
 * machine, and refused ones use up any count in no time.
 */
export function startLoad(
  url: string | URL,
  opts: { lanes?: number; intervalMs?: number; maxMs?: number; send?: () => Promise<Reply> } = {},
): Load {
  const { lanes = 2, intervalMs = 5, maxMs = 180_000 } = opts;
  const send = opts.send ?? (() => fresh(url, { timeoutMs: 5_000 }));
  const endsAt = Date.now() + maxMs;
  let stopped = false;
  const watchers = new Set<() => void>();
  const load: Load = {
    ok: 0,
    failed: 0,
    byPid: new Map(),
    errors: [],
    succeeded: (count, timeoutMs) => until(() => load.ok >= count, `${count} answered requests`, timeoutMs),
    answeredBy: async (test, timeoutMs) => {
      let found = 0;
      await until(
        () => {
          found = [...load.byPid.keys()].find(test) ?? 0;
          return found !== 0;
        },
        'an answer from the worker awaited',
        timeoutMs,
      );
      return found;
    },
    stop: async () => {
      stopped = true;
      await running;
    },
  };
  function until(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const state = () =>
        `${load.ok} ok, ${load.failed} failed${load.errors.length ? `: ${load.errors.join('; ')}` : ''}`;
      const timer = setTimeout(() => {
        watchers.delete(check);
        reject(new Error(`no ${what} within ${timeoutMs} ms of load (${state()})`));
      }, timeoutMs);
      const check = () => {
        if (condition()) {
          watchers.delete(check);
          clearTimeout(timer);
          resolve();
        } else if (stopped || Date.now() >= endsAt) {
          watchers.delete(check);
          clearTimeout(timer);
          reject(new Error(`the load ended before ${what} (${state()})`));
        }
      };
      watchers.add(check);
      check();
    });
  }
  async function lane() {
    while (!stopped && Date.now() < endsAt) {
      const started = performance.now();
      try {
        const reply = await send();
        if (reply.status >= 200 && reply.status < 300) {
          load.ok += 1;
          load.byPid.set(reply.workerPid, (load.byPid.get(reply.workerPid) ?? 0) + 1);
        } else {
          load.failed += 1;
          if (load.errors.length < 5) load.errors.push(`status ${reply.status}`);
        }
      } catch (err) {
        load.failed += 1;
        if (load.errors.length < 5) load.errors.push(String((err as Error).message ?? err));
      }
      for (const check of [...watchers]) check();
      const rest = intervalMs - (performance.now() - started);
      if (rest > 0 && !stopped) await sleep(rest);
    }
    stopped = true;
    for (const check of [...watchers]) check();
  }
  const running = Promise.all(Array.from({ length: lanes }, lane)).then(() => {});
  return load;
}
