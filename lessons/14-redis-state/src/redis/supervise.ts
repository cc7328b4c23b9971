// The lesson keeps its Redis running, as systemd or Kubernetes would: if
// redis-server exits while the lesson is not stopping (killed, crashed), it
// is started again at once, on the same port and from the same folder, so it
// replays its append-only file and every acknowledged write is back. The
// workers' clients reconnect by themselves (src/redis/client.ts).
import type { Fsync } from '../config.ts';
import { type RedisServer, startRedis } from './server.ts';

export interface Supervised {
  url: string;
  /** The first start: resolves once Redis accepts connections. */
  ready: Promise<void>;
  /** redis-server's pid now (the tests stop and kill it). */
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

interface Hooks {
  appendfsync: Fsync;
  log: (line: string) => void;
  say: (line: string) => void;
  stopping: () => boolean;
}

export function superviseRedis(bin: string, dir: string, port: number, hooks: Hooks): Supervised {
  let current: RedisServer | undefined;
  const start = async (): Promise<void> => {
    current = await startRedis(bin, dir, port, hooks.appendfsync, hooks.say);
    hooks.log(`redis-server (pid ${current.pid}) ready on ${current.url}`);
    void current.exited.then((code) => {
      if (hooks.stopping()) return;
      hooks.log(`redis-server exited (code ${code}); starting it again from its append-only file`);
      start().catch((err: Error) => hooks.log(`Redis could not start again: ${err.message}`));
    });
  };
  const ready = start();
  return {
    url: `redis://127.0.0.1:${port}`,
    ready,
    get pid() {
      return current?.pid;
    },
    async stop() {
      await ready.catch(() => {});
      await current?.stop();
    },
  };
}
