// The dispatcher: turns each HTTP request into an IPC message to one of the
// pool's ready workers (chosen at random, as the "Cluster servers in Node.js"
// examples do), matches the reply to its request by correlation id, and turns
// every failure into an answer: 502 when the worker died or could not be
// reached, 504 when it took too long, 503 when no worker is ready.
import { EventEmitter, once } from 'node:events';
import type { Logger } from '@cluster-course/shared';
import type { PoolWorker, WorkerPool } from './pool.ts';
import { isReply, type RequestMessage } from './protocol.ts';

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
    // Every request a dead worker held gets its answer now: 502, not a 504 later.
    pool.on('exit', (worker: PoolWorker, how: string) => {
      const held = [...this.#pending].filter(([, p]) => p.worker === worker).map(([id]) => id);
      if (held.length) options.log(`worker ${worker.id} died holding ${held.length} request(s): 502`);
      for (const id of held) this.#settle(id, text(502, `worker ${worker.id} died (${how})`));
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
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#settle(id, text(504, `no answer from worker ${worker.id} within ${this.options.timeoutMs} ms`));
      }, this.options.timeoutMs);
      this.#pending.set(id, { worker, resolve, timer });
      this.#send(worker, { type: 'request', id, method, url });
    });
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
    const pending = this.#pending.get(message.id);
    if (!pending) {
      // Late (after its 504) or never asked for: nothing to answer.
      this.options.log(`ignoring a reply from worker ${worker.id} to unknown request ${message.id}`);
    } else if (pending.worker !== worker) {
      this.options.log(
        `ignoring worker ${worker.id}'s reply to request ${message.id}, which is worker ${pending.worker.id}'s`,
      );
    } else {
      this.#settle(message.id, { status: message.status, contentType: message.contentType, body: message.body });
    }
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
