import { choiceEnv, intEnv, readServerEnv } from '@cluster-course/shared';

/** This lesson's default port. */
export const DEFAULT_PORT = 4000;

export const MODES = ['blocking', 'threads', 'cluster'] as const;
export type Mode = (typeof MODES)[number];

export const config = {
  // WORKERS is the pool's threads in MODE=threads, the processes in MODE=cluster
  // (and unused in MODE=blocking): one per core by default either way.
  ...readServerEnv(DEFAULT_PORT),
  /**
   * blocking: one process, the CPU work on its main thread;
   * threads: one process, the CPU work on a pool of WORKERS threads (piscina);
   * cluster: WORKERS processes, the CPU work on each one's main thread.
   */
  mode: choiceEnv<Mode>('MODE', 'threads', MODES),
  /**
   * How much PBKDF2 work is one "ms" of /cpu; 0 (the default) measures it at
   * start-up. The demo measures once and passes the same figure to every
   * mode, so their throughputs compare the same work.
   */
  iterationsPerMs: intEnv('CPU_ITERATIONS_PER_MS', 0, 0, 10_000_000),
};

/** The most CPU one request may ask for. */
export const MAX_CPU_MS = 1_000;
