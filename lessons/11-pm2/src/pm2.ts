// PM2's programmatic API, the few calls this lesson makes, as promises.
// PM2 runs in this very process ("no daemon" mode): its God, the cluster
// primary that forks and watches the instances, is our process. Nothing
// daemonizes, so nothing can outlive the lesson: if it is killed, the
// instances lose their IPC channel to the primary and exit (lesson 01).
import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { StartOptions } from 'pm2';

interface Pm2Bus {
  on(event: string, listener: (data: Pm2Event) => void): void;
}
export interface Pm2Event {
  event?: string;
  data?: string;
  process: { name: string; pm_id: number; pid?: number; exit_code?: number };
}
export interface Pm2Process {
  pm_id: number;
  pid: number;
  name: string;
  pm2_env: { status: string; restart_time: number; NODE_APP_INSTANCE?: number };
}
type Callback<T> = (err: Error | null, value: T) => void;
interface Pm2Api {
  connect(cb: Callback<unknown>): void;
  start(options: StartOptions, cb: Callback<unknown>): void;
  reload(name: string, cb: Callback<unknown>): void;
  restart(name: string, cb: Callback<unknown>): void;
  delete(name: string, cb: Callback<unknown>): void;
  list(cb: Callback<Pm2Process[]>): void;
  launchBus(cb: Callback<Pm2Bus>): void;
}

function promised<T>(call: (cb: Callback<T>) => void): Promise<T> {
  return new Promise((resolve, reject) => call((err, value) => (err ? reject(err) : resolve(value))));
}

export async function startPm2(home: string) {
  // PM2 reads PM2_HOME when it is loaded: set it first, or it creates ~/.pm2.
  process.env.PM2_HOME = home;
  // PM2 in this process writes its own log with console.log and, for things
  // it copes with (stopping an instance that already exited), console.error.
  // All of it is PM2's log: stdout. The lesson's stderr is for real failures.
  console.error = console.log;
  console.warn = console.log;
  // Loaded by its real path. pnpm links each package into node_modules; PM2
  // finds its own dependencies next to its real location. In some busy soak
  // runs it was loaded through the link instead (why, we have not pinned
  // down) and could not find 'commander'. The real path leaves no choice.
  const require = createRequire(import.meta.url);
  const { custom: PM2 } = require(realpathSync(require.resolve('pm2'))) as { custom: new (opts: object) => Pm2Api };
  const pm2 = new PM2({ pm2_home: home, daemon_mode: false });
  await promised((cb) => pm2.connect(cb));
  return {
    bus: () => promised<Pm2Bus>((cb) => pm2.launchBus(cb)),
    start: (options: StartOptions) => promised((cb) => pm2.start(options, cb)),
    reload: (name: string) => promised((cb) => pm2.reload(name, cb)),
    restart: (name: string) => promised((cb) => pm2.restart(name, cb)),
    delete: (name: string) => promised((cb) => pm2.delete(name, cb)),
    list: () => promised<Pm2Process[]>((cb) => pm2.list(cb)),
  };
}
export type Pm2 = Awaited<ReturnType<typeof startPm2>>;
