// Request helpers. The cluster balances connections, not requests, so a
// helper must say which it uses:
// - fresh(): a new TCP connection for one request, closed afterwards; many of
//   these show how connections spread over the workers.
// - keepAlive(): one connection reused for every request; it shows that a
//   connection stays with the worker that accepted it.
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
  const client = new Client(target.origin, { pipelining: 0 });
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
