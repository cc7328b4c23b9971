// Starting and stopping instances (src/instance-main.ts), each a process of its
// own on its own port: in production, each would be a machine. The lesson
// holds each one's stdin, its lifeline (shared/src/runtime/lifeline.ts): if the
// lesson dies, even by SIGKILL, every instance drains and exits by itself.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const instanceMain = fileURLToPath(new URL('./instance-main.ts', import.meta.url));

export interface Instance {
  /** 1 to INSTANCES: what x-instance says. */
  n: number;
  port: number;
  /** The running process, if any. */
  process?: ChildProcess;
}

export interface StartOptions {
  workers: number;
  /** Its stdout lines, with `[instance n]` in front. */
  out: (line: string) => void;
  /** Its stderr lines, as they are. */
  err: (line: string) => void;
  /** The instance's entry file; src/instance-main.ts unless a later lesson brings its own. */
  entry?: string;
  /** More environment for the instance (lesson 14: where Redis is). */
  env?: Record<string, string>;
}

/**
 * Starts instance `n` on its port and resolves once it is ready (every
 * worker listens: its "serving on" line), or false if it exits first.
 */
export async function startInstance(instance: Instance, options: StartOptions): Promise<boolean> {
  const { workers, out, err, entry = instanceMain } = options;
  // process.execArgv: `--import tsx`, and any test hook the lesson was given.
  const child = spawn(process.execPath, [...process.execArgv, entry], {
    env: {
      ...process.env,
      ...options.env,
      INSTANCE: String(instance.n),
      PORT: String(instance.port),
      HOST: '127.0.0.1',
      WORKERS: String(workers),
      CLUSTER_COURSE_LIFELINE: '1',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin?.on('error', () => {}); // the lifeline: never written to
  instance.process = child;
  const tag = `[instance ${instance.n}]`;
  const ready = new Promise<boolean>((resolve) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      out(`${tag} ${line}`);
      if (/\] serving on http:/.test(line)) resolve(true);
    });
    createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line) => err(line));
    child.once('exit', () => resolve(false));
  });
  return ready;
}

/** SIGTERM: the instance drains its workers (src/app.ts) and exits. Resolves on its exit. */
export async function stopInstance(instance: Instance): Promise<void> {
  const child = instance.process;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

export function isRunning(instance: Instance): boolean {
  const child = instance.process;
  return Boolean(child && child.exitCode === null && child.signalCode === null);
}
