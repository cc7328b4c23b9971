// What a client must do anyway. A worker killed by SIGKILL, or by the
// kernel's OOM killer, gets no chance to crash safely: a connection the
// primary handed it a moment before is stranded, and no code on the server
// can answer it. Only the client can notice, and try again:
//   - a timeout on every request, so a stranded one fails instead of
//     waiting forever (here: 1 s for the response to start);
//   - one retry, on a new connection (the primary deals it to a living
//     worker), and only for idempotent methods: GET, HEAD, PUT, DELETE... A
//     POST that timed out may have been done, so it is never sent twice.
// undici's RetryAgent does the retrying; we only say when.
import { Agent, type Dispatcher, RetryAgent, request } from 'undici';

export interface ClientOptions {
  /** How long the response may take to start; default 1000 ms. */
  timeoutMs?: number;
  /** Retries of an idempotent request; default 1. 0 = the same client without retry. */
  retries?: number;
}

export function createClient({ timeoutMs = 1_000, retries = 1 }: ClientOptions = {}): Dispatcher {
  // pipelining: 0 turns keep-alive off: each request gets a fresh connection,
  // like separate clients, so each is dealt to a worker of its own.
  const agent = new Agent({ pipelining: 0, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  if (retries === 0) return agent;
  return new RetryAgent(agent, {
    maxRetries: retries,
    minTimeout: 100, // the first retry waits 100 ms
    // Retried: RetryAgent's default list (GET, HEAD, OPTIONS, PUT, DELETE, TRACE).
    // Written out so the rule is visible: POST and PATCH are not in it.
    methods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE'],
    // The connection broke (a worker died while holding it), or no answer
    // started within the timeout (the connection was stranded).
    errorCodes: ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_HEADERS_TIMEOUT'],
  });
}

export interface Answer {
  status: number;
  workerPid: number;
  ms: number;
}

/** One request through `client`; rejects with undici's error (e.g. UND_ERR_HEADERS_TIMEOUT). */
export async function get(client: Dispatcher, url: string | URL, method = 'GET'): Promise<Answer> {
  const started = Date.now();
  const res = await request(url, { dispatcher: client, method: method as 'GET' });
  await res.body.text();
  return { status: res.statusCode, workerPid: Number(res.headers['x-worker-pid']), ms: Date.now() - started };
}
