// The lesson's own Redis: a real redis-server (or valkey-server) on a free
// port, with a configuration the lesson writes into a private folder, so no
// system configuration or data is touched. It runs under lesson 13's
// watchdog (imported on purpose): however the lesson ends, even by SIGKILL,
// redis-server gets SIGTERM, its graceful stop.

import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { spawnUnderWatchdog } from '@cluster-course/13-nginx/watchdog';
import type { Fsync } from '../config.ts';
import { namesItsProcess, redisVersion } from './binary.ts';

/** The configuration, written out: each setting says why (Redis allows no comment after a value). */
export function redisConf(dir: string, port: number, appendfsync: Fsync, name: string | undefined): string {
  // What ps and pgrep show: "redis-server 127.0.0.1:PORT (lesson 14)", so the
  // lesson's server is told apart from any other Redis on the machine. The
  // name is written out: Redis's {title} is the path it was started by.
  const title = name ? `# How ps shows it.\nproc-title-template "${name} {listen-addr} (lesson 14)"\n` : '';
  return `# Written by lessons/14-redis-state/src/redis/server.ts for one run of lesson 14.
port ${port}
# Loopback only: the instances are on this machine.
bind 127.0.0.1
protected-mode yes
dir ${dir}
# A child of the lesson, under its watchdog; the log on stdout (the lesson prints it as [redis] ...).
daemonize no
logfile ""
# No RDB snapshots: the append-only file alone keeps the data.
save ""
# Every write command is appended to a log that Redis replays when it starts.
appendonly yes
# always (the lesson's default): on disk (fsync) before Redis answers, so an
# acknowledged INCR survives a crash of Redis or of the machine. everysec
# (Redis's default): fsync once a second, the last second may be lost in a
# power cut. no: when the kernel writes it back. (REDIS_APPENDFSYNC)
appendfsync ${appendfsync}
${title}`;
}

/** Start-up lines that say nothing new here (the memory-overcommit warning is for a production host: README). */
const quiet =
  /^(oO0O|Redis version=|Configuration loaded|monotonic clock|Running mode=|Server initialized|WARNING Memory overcommit)/;

export interface RedisServer {
  url: string;
  pid: number | undefined;
  /** Resolves with redis-server's exit code (the watchdog passes it on). */
  exited: Promise<number | null>;
  /** Graceful stop (SIGTERM through the watchdog); resolves once it has exited. */
  stop(): Promise<void>;
}

/** Starts redis-server from `dir` on `port`; resolves once it accepts connections, rejects if it exits first. */
export async function startRedis(
  bin: string,
  dir: string,
  port: number,
  appendfsync: Fsync,
  log: (line: string) => void,
): Promise<RedisServer> {
  const conf = join(dir, 'redis.conf');
  const name = namesItsProcess(redisVersion(bin)) ? basename(bin) : undefined;
  writeFileSync(conf, redisConf(dir, port, appendfsync, name));
  const child = spawnUnderWatchdog(bin, [conf], 'TERM');
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  let pid: number | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (raw) => {
      // "4242:M 30 Nov 2026 09:00:00.123 * Ready to accept connections tcp": pid and date are noise here.
      const match = /^(\d+):[A-Z] \d+ \w+ \d+ [\d:.]+ [.\-*#] (.*)$/.exec(raw);
      if (match) pid ??= Number(match[1]);
      const line = match ? match[2] : raw;
      if (line && !quiet.test(line)) log(line);
      if (/Ready to accept connections/.test(line ?? '')) resolve();
    });
    createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', log);
    void exited.then((code) => reject(new Error(`redis-server exited (code ${code}) before it was ready`)));
  });
  ready.catch(() => {});
  await ready;
  return {
    url: `redis://127.0.0.1:${port}`,
    get pid() {
      return pid;
    },
    exited,
    async stop() {
      child.stdin?.end();
      await exited;
    },
  };
}
