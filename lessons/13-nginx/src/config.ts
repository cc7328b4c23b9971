// Lesson 13's settings. PORT is nginx's port, the one clients use; each
// instance (one "machine") listens on a port of its own, chosen at start.
import { choiceEnv, intEnv, readServerEnv } from '@cluster-course/shared';

export const DEFAULT_PORT = 4300;

/** nginx's `upstream` methods: its default, `least_conn`, and `hash $remote_addr consistent`. */
export const BALANCES = ['round-robin', 'least_conn', 'hash'] as const;
export type Balance = (typeof BALANCES)[number];

export function readConfig() {
  return {
    ...readServerEnv(DEFAULT_PORT), // WORKERS: the cluster inside each instance
    /** How many instances nginx balances over (machines, in real life). */
    instances: intEnv('INSTANCES', 3, 1, 8),
    balance: choiceEnv('BALANCE', 'round-robin', BALANCES),
    /** Idle connections each nginx worker keeps open to the instances (0: a new one per request). */
    keepalive: intEnv('KEEPALIVE', 8, 0, 64),
  };
}
export type Config = ReturnType<typeof readConfig>;
