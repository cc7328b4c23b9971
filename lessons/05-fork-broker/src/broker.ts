// The broker: the primary's side of the IPC protocol. It forks the workers,
// hands each request to one of them (chosen at random, as the classic example
// does), matches replies to requests by correlation id, and turns every
// failure into an answer: 502 when the worker died, 504 when it took too
// long, 503 when no worker is ready. Dead workers are replaced with lesson
// 02's policy (backoff on failed starts, give up after 5 in a row).
import { type ChildProcess, fork } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import { decide, describeExit } from '@cluster-course/02-exit-and-respawn/exit-policy';
import type { Logger } from '@cluster-course/shared';
import { isWorkerMessage, type RequestMessage } from './protocol.ts';

export interface Outcome {
  status: number;
  contentType: string;
  body: string;
  /** The worker that answered, or was asked and failed; none for a 503. */
  worker?: { id: number; pid: number };
}

interface Worker {
  id: number;
  proc: ChildProcess;
  pid: number;
  /** Set once the worker said 'ready'; before that it gets nothing. */
  readyAt?: number;
  /** Correlation ids of the requests it holds. */
  pending: Set<number>;
  /** Messages handed to send() but not yet written to the channel. */
  queued: number;
}

interface Pending {
  worker: Worker;
  resolve: (outcome: Outcome) => void;
  timer: NodeJS.Timeout;
}

export interface BrokerOptions {
  /** The worker's entry file. */
  workerPath: string;
  workers: number;
  /** No reply within this many ms: 504. */
  timeoutMs: number;
  log: Logger;
}

/**
 * Events: 'ready' once every initial worker is ready; 'give-up' (why) when
 * workers keep dying as they start.
 */
export class Broker extends EventEmitter {
  readonly #options: BrokerOptions;
  readonly #workers = new Map<number, Worker>();
  readonly #pending = new Map<number, Pending>();
  #nextRequestId = 1;
  #nextWorkerId = 1;
  #failedStartsInARow = 0;
  #stopping = false;
  #announced = false;

  constructor(options: BrokerOptions) {
    super();
    this.#options = options;
  }

  start(): void {
    for (let i = 0; i < this.#options.workers; i++) this.#fork('at start');
  }

  /** Living workers, for logs and demos. */
  get workers(): { id: number; pid: number; ready: boolean; pending: number }[] {
    return [...this.#workers.values()].map((w) => ({
      id: w.id,
      pid: w.pid,
      ready: w.readyAt !== undefined,
      pending: w.pending.size,
    }));
  }

  get inFlight(): number {
    return this.#pending.size;
  }

  #fork(why: string): void {
    const id = this.#nextWorkerId++;
    // fork() runs the worker file in a new Node.js process with an IPC
    // channel. It inherits our execArgv (--import tsx), so .ts just works.
    const proc = fork(this.#options.workerPath, [], {
      env: { ...process.env, BROKER_WORKER_ID: String(id) },
      serialization: 'json',
    });
    const worker: Worker = { id, proc, pid: proc.pid ?? 0, pending: new Set(), queued: 0 };
    this.#workers.set(id, worker);
    this.#options.log(`forked worker ${id} (pid ${worker.pid}) ${why}`);
    proc.on('message', (message) => this.#onMessage(worker, message));
    proc.on('exit', (code, signal) => this.#onExit(worker, code, signal));
    // Failed sends surface in send()'s callback; keep 'error' from throwing.
    proc.on('error', (err) => this.#options.log(`worker ${id}: ${err.message}`));
  }

  /** A random ready worker, preferring those whose channel is not backed up. */
  #pick(): Worker | undefined {
    const ready = [...this.#workers.values()].filter((w) => w.readyAt !== undefined && w.proc.connected);
    const flowing = ready.filter((w) => w.queued === 0);
    const choices = flowing.length > 0 ? flowing : ready;
    return choices[Math.floor(Math.random() * choices.length)];
  }

  /** Hand one request to a worker; resolves with its answer or the failure. */
  dispatch(method: string, url: string): Promise<Outcome> {
    const worker = this.#pick();
    if (!worker || this.#stopping) {
      return Promise.resolve({ status: 503, contentType: 'text/plain', body: 'no worker is ready\n' });
    }
    const id = this.#nextRequestId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        const text = `no answer from worker ${worker.id} within ${this.#options.timeoutMs} ms\n`;
        this.#settle(id, { status: 504, contentType: 'text/plain', body: text });
      }, this.#options.timeoutMs);
      this.#pending.set(id, { worker, resolve, timer });
      worker.pending.add(id);
      this.#send(worker, { type: 'request', id, method, url });
    });
  }

  #send(worker: Worker, message: RequestMessage): void {
    worker.queued += 1;
    // send() returns false when the channel's buffer is full: the message is
    // still queued and will go, but this worker is behind. #pick() then
    // prefers other workers until its queue is written (the callback).
    const flowing = worker.proc.send(message, (err) => {
      worker.queued -= 1;
      if (err) {
        // ERR_IPC_CHANNEL_CLOSED: the worker is gone or going.
        this.#options.log(`could not send request ${message.id} to worker ${worker.id}: ${err.message}`);
        this.#settle(message.id, {
          status: 502,
          contentType: 'text/plain',
          body: `worker ${worker.id} could not be reached\n`,
        });
      }
    });
    if (!flowing && worker.queued === 1) {
      this.#options.log(`worker ${worker.id}'s IPC channel is backed up; sending new requests elsewhere`);
    }
  }

  #settle(id: number, outcome: Outcome): void {
    const pending = this.#pending.get(id);
    if (!pending) return; // already answered (a reply after a 504, say)
    this.#pending.delete(id);
    pending.worker.pending.delete(id);
    clearTimeout(pending.timer);
    pending.resolve({ ...outcome, worker: { id: pending.worker.id, pid: pending.worker.pid } });
    if (this.#stopping && this.#pending.size === 0) this.emit('drained');
  }

  #onMessage(worker: Worker, message: unknown): void {
    if (!isWorkerMessage(message)) {
      this.#options.log(`ignoring a malformed message from worker ${worker.id}: ${JSON.stringify(message)}`);
      return;
    }
    if (message.type === 'ready') {
      worker.readyAt = Date.now();
      this.#options.log(`worker ${worker.id} (pid ${worker.pid}) is ready`);
      const ready = [...this.#workers.values()].filter((w) => w.readyAt !== undefined).length;
      if (!this.#announced && ready === this.#options.workers) {
        this.#announced = true;
        this.emit('ready');
      }
      return;
    }
    const pending = this.#pending.get(message.id);
    if (!pending) {
      // Late (after its 504) or never asked for: nothing to answer.
      this.#options.log(`ignoring a reply from worker ${worker.id} to unknown request ${message.id}`);
      return;
    }
    if (pending.worker !== worker) {
      this.#options.log(
        `ignoring worker ${worker.id}'s reply to request ${message.id}, which is worker ${pending.worker.id}'s`,
      );
      return;
    }
    this.#settle(message.id, { status: message.status, contentType: message.contentType, body: message.body });
  }

  #onExit(worker: Worker, code: number | null, signal: NodeJS.Signals | null): void {
    this.#workers.delete(worker.id);
    const how = describeExit(code, signal);
    this.#options.log(`worker ${worker.id} (pid ${worker.pid}) ${how}, holding ${worker.pending.size} requests`);
    // Every request it held gets its answer now: 502, not a 504 later.
    for (const id of [...worker.pending]) {
      this.#settle(id, { status: 502, contentType: 'text/plain', body: `worker ${worker.id} died (${how})\n` });
    }
    if (this.#stopping) {
      if (this.#workers.size === 0) this.emit('all-exited');
      return;
    }
    const decision = decide({
      code,
      signal,
      exitedAfterDisconnect: false,
      listenedForMs: worker.readyAt === undefined ? null : Date.now() - worker.readyAt,
      failedStartsInARow: this.#failedStartsInARow,
    });
    this.#failedStartsInARow = decision.failedStartsInARow;
    if (decision.action === 'give-up') {
      this.emit('give-up', `${decision.why}; not forking any more`);
    } else if (decision.action === 'replace') {
      this.#options.log(`replacing worker ${worker.id} ${decision.delayMs ? `in ${decision.delayMs} ms` : 'now'}`);
      setTimeout(() => {
        if (!this.#stopping) this.#fork(`to replace worker ${worker.id}`);
      }, decision.delayMs);
    }
  }

  /**
   * Stop: take no new requests, give those in flight up to `drainMs` to be
   * answered, then disconnect every worker (each exits on disconnect) and
   * kill any that has not exited 2 s later.
   */
  async stop(drainMs: number): Promise<void> {
    this.#stopping = true;
    if (this.#pending.size > 0) {
      await waitFor(this, 'drained', drainMs);
    }
    if (this.#workers.size === 0) return;
    const exited = waitFor(this, 'all-exited', 2_000);
    for (const worker of this.#workers.values()) {
      // A ready worker exits when its channel closes. One not ready yet may
      // still be loading its code, before its 'disconnect' handler exists:
      // it would miss the event, so it gets SIGTERM (it holds no request).
      if (worker.readyAt !== undefined && worker.proc.connected) worker.proc.disconnect();
      else worker.proc.kill('SIGTERM');
    }
    if (!(await exited)) {
      for (const worker of this.#workers.values()) worker.proc.kill('SIGKILL');
      await waitFor(this, 'all-exited', 1_000);
    }
  }
}

/** Resolves true on `event`, false after `ms`. */
function waitFor(emitter: EventEmitter, event: string, ms: number): Promise<boolean> {
  return once(emitter, event, { signal: AbortSignal.timeout(ms) }).then(
    () => true,
    () => false,
  );
}
