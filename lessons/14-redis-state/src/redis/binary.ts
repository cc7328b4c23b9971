// redis-server is a system package, not an npm one: the lesson finds the
// binary (Valkey's valkey-server, its open-source fork, is accepted too), or
// says in one line how to install it and exits 2, like any bad setting.
import { spawnSync } from 'node:child_process';
import { findSystemBinary } from '@cluster-course/shared/runtime/system-binary';

export const INSTALL_HINT =
  'install it with `apt-get install redis-server` (Debian, Ubuntu), `dnf install redis` (Fedora), `brew install redis` (macOS), or Valkey (valkey-server); or point REDIS_URL at a running server';

/** REDIS_SERVER if set (a path), else redis-server or valkey-server on PATH or in /usr/sbin, /usr/local/sbin. */
export function findRedisServer(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return findSystemBinary(['redis-server', 'valkey-server'], env.REDIS_SERVER, env);
}

/** The one line said when no server can be found. */
export function missingRedis(env: NodeJS.ProcessEnv = process.env): string {
  const given = env.REDIS_SERVER?.trim();
  const where = given ? `REDIS_SERVER=${given} is not an executable` : 'redis-server is not installed';
  return `${where}: lesson 14 runs the real Redis; ${INSTALL_HINT}`;
}

/** e.g. "Redis 7.0.15" or "Valkey 8.0.2" (`--version` prints it). */
export function redisVersion(bin: string): string {
  const { stdout } = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  const match = /^(Redis|Valkey) server v=(\S+)/i.exec(stdout ?? '');
  return match ? `${match[1]} ${match[2]}` : 'unknown';
}

/**
 * Can this server name its own process? `proc-title-template` came with
 * Redis 6.2 (Valkey has always had it); an older server refuses to start
 * on the directive, so the lesson writes it only where it is known.
 */
export function namesItsProcess(version: string): boolean {
  const match = /^(Redis|Valkey) (\d+)\.(\d+)/.exec(version);
  if (!match) return false;
  const [major, minor] = [Number(match[2]), Number(match[3])];
  return match[1] === 'Valkey' || major > 6 || (major === 6 && minor >= 2);
}
