// The primary's view of its workers: one slot per worker, so that a
// replacement takes the place of the worker it replaces, and in MODE=sticky
// the client addresses that hashed to it (the others keep theirs).
import cluster, { type Worker } from 'node:cluster';

export class Pool {
  readonly #slots: (Worker | undefined)[];
  readonly #ready = new Set<Worker>();

  constructor(size: number) {
    this.#slots = Array.from({ length: size }, () => undefined);
  }

  fork(slot: number): Worker {
    const worker = cluster.fork();
    this.#slots[slot] = worker;
    return worker;
  }

  markReady(worker: Worker): void {
    this.#ready.add(worker);
  }

  isReady(worker: Worker): boolean {
    return this.#ready.has(worker);
  }

  get readyCount(): number {
    return this.#ready.size;
  }

  alive(): Worker[] {
    return this.#slots.filter((worker) => worker !== undefined);
  }

  /** Takes an exited worker out; says which slot it had and whether it had been ready. */
  remove(worker: Worker): { slot: number; wasReady: boolean } {
    const slot = this.#slots.indexOf(worker);
    if (slot >= 0) this.#slots[slot] = undefined;
    return { slot, wasReady: this.#ready.delete(worker) };
  }

  /**
   * The worker for a hash: the one in slot `hash % size` if it is ready,
   * or else the next ready one, so a client is not refused while its
   * worker is being replaced (it lands elsewhere, and loses its session).
   */
  pick(hash: number): Worker | undefined {
    const size = this.#slots.length;
    for (let step = 0; step < size; step++) {
      const worker = this.#slots[(hash + step) % size];
      if (worker && this.#ready.has(worker)) return worker;
    }
    return undefined;
  }
}
