// The primary's view of its workers, for the live page: every worker from
// its fork to a few seconds after its exit, so the page can show it dying
// and its replacement appearing next to it.
import type { Worker } from 'node:cluster';

export type State = 'starting' | 'serving' | 'draining' | 'exited';

export interface Member {
  worker: Worker;
  id: number;
  pid: number;
  state: State;
  /** "at start", "to replace worker 2", ... */
  why: string;
  /** "SIGKILL", "code 0": set on exit. */
  exit?: string;
}

/** How long an exited worker stays on the page. */
export const SHOWN_AFTER_EXIT_MS = 5_000;

export class Roster {
  readonly members = new Map<number, Member>();

  add(worker: Worker, why: string): void {
    this.members.set(worker.id, { worker, id: worker.id, pid: worker.process.pid ?? 0, state: 'starting', why });
  }

  set(worker: Worker, state: State, exit?: string): void {
    const member = this.members.get(worker.id);
    if (!member) return;
    member.state = state;
    if (exit) member.exit = exit;
    if (state === 'exited') setTimeout(() => this.members.delete(worker.id), SHOWN_AFTER_EXIT_MS).unref();
  }

  /** The workers a scrape asks: every one not exited. */
  alive(): Worker[] {
    return [...this.members.values()].filter((m) => m.state !== 'exited').map((m) => m.worker);
  }

  count(state: State): number {
    return [...this.members.values()].filter((m) => m.state === state).length;
  }
}
