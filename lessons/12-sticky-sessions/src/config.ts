import { choiceEnv, readServerEnv } from '@cluster-course/shared';

/** This lesson's default port. */
export const DEFAULT_PORT = 4200;

export const MODES = ['plain', 'sticky', 'library'] as const;
export type Mode = (typeof MODES)[number];

export const config = {
  ...readServerEnv(DEFAULT_PORT),
  /**
   * plain:   every worker listens; node:cluster deals connections round-robin;
   *          each worker's Socket.IO knows only its own clients.
   * sticky:  the primary listens and hands each connection to the worker chosen
   *          by the client's address (written out in src/sticky-by-address.ts).
   * library: the primary listens; @socket.io/sticky routes by session id and
   *          @socket.io/cluster-adapter carries broadcasts to every worker.
   */
  mode: choiceEnv<Mode>('MODE', 'library', MODES),
};
