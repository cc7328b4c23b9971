// The broker's worker pool: it forks the children, knows which are ready,
// replaces those that die (with lesson 02's policy) and stops them all. It
// knows nothing of requests: src/dispatcher.ts does.
import { type ChildProcess, fork } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import { decide, describeExit } from '@cluster-course/02-exit-and-respawn/exit-policy';
import type { Logger } from '@cluster-course/shared';

export interface PoolWorker {
  id: number;
  pid: number;
  proc: ChildProcess;
  /** Set once the worker said 'ready'; before that it is sent nothing. */
  readyAt?: number;
}

export interface PoolOptions {
  /** The workers' entry file. */
  workerPath: string;
  workers: number;
  log: Logger;
}

/**
 * Events: 'ready' once every initial worker is ready; 'message' (worker,
 * message) for anything a worker sends but its 'ready'; 'exit' (worker, how)
 * when one is gone; 'give-up' (why) when workers keep dying as they start.
 */
export class WorkerPool extends EventEmitter {
  readonly #options: PoolOptions;
  readonly #workers = new Map<number, PoolWorker>();
  #nextId = 1;
  #failedStartsInARow = 0;
  #stopping = false;
  #announced = false;

  constructor(options: PoolOptions) {
    super();
    this.#options = options;
  }

  start(): void {
    for (let i = 0; i < this.#options.workers; i++) this.#fork('at start');
  }

  /** Workers that said 'ready' and whose channel is still open. */
  ready(): PoolWorker[] {
    return [...this.#workers.values()].filter((w) => w.readyAt !== undefined && w.proc.connected);
  }

  #fork(why: string): void {
    const id = this.#nextId++;
    // fork() runs the worker file in a new Node.js process with an IPC
    // channel. It inherits our execArgv (--import tsx), so .ts just works.
    const proc = fork(this.#options.workerPath, [], {
      env: { ...process.env, BROKER_WORKER_ID: String(id) },
      serialization: 'json',
    });
    const worker: PoolWorker = { id, proc, pid: proc.pid ?? 0 };
    this.#workers.set(id, worker);
    this.#options.log(`forked worker ${id} (pid ${worker.pid}) ${why}`);
    proc.on('message', (message) => this.#onMessage(worker, message));
    proc.on('exit', (code, signal) => this.#onExit(worker, code, signal));
    // Failed sends surface in send()'s callback; keep 'error' from throwing.
    proc.on('error', (err) => this.#options.log(`worker ${id}: ${err.message}`));
  }

  #onMessage(worker: PoolWorker, message: unknown): void {
    if ((message as { type?: unknown } | null)?.type !== 'ready') {
      this.emit('message', worker, message);
      return;
    }
    worker.readyAt = Date.now();
    this.#options.log(`worker ${worker.id} (pid ${worker.pid}) is ready`);
    if (!this.#announced && this.ready().length === this.#options.workers) {
      this.#announced = true;
      this.emit('ready');
    }
  }

  #onExit(worker: PoolWorker, code: number | null, signal: NodeJS.Signals | null): void {
    this.#workers.delete(worker.id);
    const how = describeExit(code, signal);
    this.#options.log(`worker ${worker.id} (pid ${worker.pid}) ${how}`);
    this.emit('exit', worker, how);
    if (this.#stopping) {
      if (this.#workers.size === 0) this.emit('all-exited');
      return;
    }
    // Lesson 02's policy. This pool asks a worker to go only when stopping
    // (handled above), so no exit that reaches here was asked for; and a
    // worker serves from the moment it is ready.
    const decision = decide({
      code,
      signal,
      askedToStop: false,
      servedForMs: worker.readyAt === undefined ? null : Date.now() - worker.readyAt,
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

  /** Stops every worker; resolves when all have exited. */
  async stop(): Promise<void> {
    this.#stopping = true;
    if (this.#workers.size === 0) return;
    const exited = (ms: number) =>
      once(this, 'all-exited', { signal: AbortSignal.timeout(ms) }).then(
        () => true,
        () => false,
      );
    const allExited = exited(2_000);
    for (const worker of this.#workers.values()) {
      // A ready worker exits when its channel closes. One not ready yet may
      // still be loading its code, before its 'disconnect' handler exists:
      // it would miss the event, so it gets SIGTERM (it holds no request).
      if (worker.readyAt !== undefined && worker.proc.connected) worker.proc.disconnect();
      else worker.proc.kill('SIGTERM');
    }
    if (!(await allExited)) {
      for (const worker of this.#workers.values()) worker.proc.kill('SIGKILL');
      await exited(1_000);
    }
  }
}
