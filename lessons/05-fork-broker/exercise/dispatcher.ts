// EXERCISE (lesson 05): the dispatcher's three promises are missing: match
// each reply to its request by correlation id (TODO 1), answer 504 when a
// worker takes too long (TODO 2), and 502 at once for every request a dying
// worker held (TODO 3). Until TODO 1 is done every request gets a 501.
// Check your work with `pnpm exercise 05`; stuck? `pnpm exercise 05 --hint`.
//
// The dispatcher: turns each HTTP request into an IPC message to one of the
// pool's ready workers (chosen at random, as the "Cluster servers in Node.js"
// examples do), matches the reply to its request by correlation id, and turns
// every failure into an answer: 502 when the worker died or could not be
// reached, 504 when it took too long, 503 when no worker is ready.
import { EventEmitter, once } from 'node:events';
import type { Logger } from '@cluster-course/shared';
import type { PoolWorker, WorkerPool } from '../src/pool.ts'; // the files you do not edit stay in src/
import { isReply, type RequestMessage } from '../src/protocol.ts';

export interface Outcome {
  status: number;
  contentType: string;
  body: string;
  /** The worker that answered, or was asked and failed; none for a 503. */
  worker?: { id: number; pid: number };
}

interface Pending {
  worker: PoolWorker;
  resolve: (outcome: Outcome) => void;
  timer: NodeJS.Timeout;
}

const text = (status: number, body: string): Outcome => ({ status, contentType: 'text/plain', body: `${body}\n` });

export class Dispatcher extends EventEmitter {
  readonly #pending = new Map<number, Pending>();
  /** Per worker: messages handed to send() but not yet written to its channel. */
  readonly #queued = new Map<PoolWorker, number>();
  #nextId = 1;
  #closed = false;

  constructor(
    readonly pool: WorkerPool,
    readonly options: { timeoutMs: number; log: Logger },
  ) {
    super();
    pool.on('message', (worker: PoolWorker, message: unknown) => this.#onMessage(worker, message));
    pool.on('exit', (worker: PoolWorker, how: string) => {
      // TODO 3: every request this worker held (in #pending) gets its answer
      // now, text(502, `worker ${worker.id} died (${how})`), not a 504 later.
      // Log `worker ${worker.id} died holding ${n} request(s): 502` first.
      void how; // (only so the unfinished file compiles: delete it)
      this.#queued.delete(worker);
    });
  }

  get inFlight(): number {
    return this.#pending.size;
  }

  /** A random ready worker, preferring those whose channel is not backed up. */
  #pick(): PoolWorker | undefined {
    const ready = this.pool.ready();
    const flowing = ready.filter((w) => !this.#queued.get(w));
    const choices = flowing.length > 0 ? flowing : ready;
    return choices[Math.floor(Math.random() * choices.length)];
  }

  /** Hand one request to a worker; resolves with its answer or the failure. */
  dispatch(method: string, url: string): Promise<Outcome> {
    const worker = this.#pick();
    if (!worker || this.#closed) return Promise.resolve(text(503, 'no worker is ready'));
    const id = this.#nextId++;
    this.#send(worker, { type: 'request', id, method, url });
    // TODO 1: return a promise that #onMessage settles when this request's
    // reply comes back: remember { worker, resolve, timer } in #pending under
    // its id (the correlation id) before sending.
    // TODO 2: the timer answers text(504, `no answer from worker ${worker.id}
    // within ${this.options.timeoutMs} ms`) if no reply came in time.
    const todo = text(501, 'TODO 1 in exercise/dispatcher.ts: replies are not matched to requests yet');
    return Promise.resolve({ ...todo, worker: { id: worker.id, pid: worker.pid } });
  }

  #send(worker: PoolWorker, message: RequestMessage): void {
    const queued = (this.#queued.get(worker) ?? 0) + 1;
    this.#queued.set(worker, queued);
    // send() returns false when the channel's buffer is full: the message is
    // still queued and will go, but this worker is behind. #pick() then
    // prefers other workers until its queue is written (the callback).
    const flowing = worker.proc.send(message, (err) => {
      this.#queued.set(worker, (this.#queued.get(worker) ?? 1) - 1);
      if (!err) return;
      // ERR_IPC_CHANNEL_CLOSED: the worker is gone or going.
      this.options.log(`could not send request ${message.id} to worker ${worker.id}: ${err.message}`);
      this.#settle(message.id, text(502, `worker ${worker.id} could not be reached`));
    });
    if (!flowing && queued === 1) {
      this.options.log(`worker ${worker.id}'s IPC channel is backed up; sending new requests elsewhere`);
    }
  }

  #onMessage(worker: PoolWorker, message: unknown): void {
    if (!isReply(message)) {
      this.options.log(`ignoring a malformed message from worker ${worker.id}: ${JSON.stringify(message)}`);
      return;
    }
    // TODO 1: find the request this reply answers (#pending, by message.id)
    // and settle it with { status, contentType, body } from the message.
    // Ignore, with a log line, a reply to an unknown id (late, after its 504)
    // and a reply from another worker than the one asked.
  }

  #settle(id: number, outcome: Outcome): void {
    const pending = this.#pending.get(id);
    if (!pending) return; // already answered (a reply after its 504, say)
    this.#pending.delete(id);
    clearTimeout(pending.timer);
    pending.resolve({ ...outcome, worker: { id: pending.worker.id, pid: pending.worker.pid } });
    if (this.#pending.size === 0) this.emit('drained');
  }

  /** Take no new requests; resolves when those in flight are answered, or after `ms`. */
  async close(ms: number): Promise<void> {
    this.#closed = true;
    if (this.#pending.size === 0) return;
    await once(this, 'drained', { signal: AbortSignal.timeout(ms) }).catch(() => {});
  }
}
