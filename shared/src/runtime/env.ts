// Reading and validating the environment, the same way in every lesson.
// A bad value is the user's mistake, not a crash: one line on stderr that
// names the variable, the value and what is allowed, then exit code 2.
import { availableParallelism } from 'node:os';

/** Print one line naming the problem and exit 2 (the contract for bad input). */
export function badEnv(name: string, value: string, allowed: string): never {
  process.stderr.write(`invalid ${name}=${JSON.stringify(value)}: expected ${allowed}\n`);
  process.exit(2);
}

/** An integer variable in [min, max], or `fallback` when unset or empty. */
export function intEnv(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) badEnv(name, raw, `an integer from ${min} to ${max}`);
  const value = Number(raw.trim());
  if (value < min || value > max) badEnv(name, raw, `an integer from ${min} to ${max}`);
  return value;
}

/** One of a fixed set of words, or `fallback` when unset or empty. */
export function choiceEnv<const T extends string>(name: string, fallback: T, choices: readonly T[]): T {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = raw.trim() as T;
  if (!choices.includes(value)) badEnv(name, raw, `one of ${choices.join(', ')}`);
  return value;
}

/** A yes/no switch: 1/true/yes or 0/false/no. */
export function flagEnv(name: string, fallback = false): boolean {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = raw.trim().toLowerCase();
  if (['1', 'true', 'yes'].includes(value)) return true;
  if (['0', 'false', 'no'].includes(value)) return false;
  badEnv(name, raw, '1 or 0');
}

export interface ServerEnv {
  /** Interface to listen on; 127.0.0.1 unless HOST says otherwise. */
  host: string;
  /** Port to listen on; 0 means any free port. */
  port: number;
  /** How many workers the primary starts. */
  workers: number;
}

/** HOST and PORT, with the lesson's own default port (lesson 15 reads WORKERS its own way). */
export function readHostPort(defaultPort: number): { host: string; port: number } {
  const host = (process.env.HOST ?? '').trim() || '127.0.0.1';
  if (/\s/.test(host)) badEnv('HOST', host, 'a host name or IP address');
  return { host, port: intEnv('PORT', defaultPort, 0, 65535) };
}

/**
 * HOST, PORT and WORKERS, with the lesson's own default port. WORKERS
 * defaults to one per core this process may use (lesson 01 explains why).
 */
export function readServerEnv(defaultPort: number, defaultWorkers = Math.min(availableParallelism(), 64)): ServerEnv {
  return { ...readHostPort(defaultPort), workers: intEnv('WORKERS', defaultWorkers, 1, 64) };
}
