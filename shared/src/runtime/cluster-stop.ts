// The stop a cluster primary wires up, once. Lesson 01 writes it out in its
// own primary, where it teaches stopping; the lessons after it teach other
// things and call this instead:
//
//   - SIGINT or SIGTERM: stop every worker, then exit 0;
//   - a worker reports that its listen() failed (src/listen-error.ts): print
//     its one line, stop every worker, exit 1 (forking again would only fail
//     the same way, so no respawn loop);
//   - the lesson itself may call stop(reason, code) (a crash loop, say).
//
// The stop is stopWorkers() (src/stop-workers.ts): listening workers leave
// gracefully, workers still starting get SIGTERM, so a stop never races a start.
import cluster, { type Worker } from 'node:cluster';
import { isListenFailed } from './listen-error.ts';
import { type StopWorkersOptions, stopWorkers } from './stop-workers.ts';

export interface ClusterStopOptions extends StopWorkersOptions {
  /** The workers alive now; read when the stop begins. */
  workers(): Iterable<Worker>;
  /** Where `<reason>: stopping N workers` goes. */
  log(line: string): void;
  /** Runs once every worker has exited, just before process.exit(code). */
  beforeExit?(code: number): void;
}

export interface ClusterStop {
  /** Begins the stop; the first call wins, later ones are ignored. */
  stop(reason: string, code: number): void;
  /** True from the first stop() on: do not fork or replace any more. */
  readonly stopping: boolean;
}

export function handleClusterStop(options: ClusterStopOptions): ClusterStop {
  let stopping = false;
  function stop(reason: string, code: number): void {
    if (stopping) return;
    stopping = true;
    const workers = [...options.workers()];
    options.log(`${reason}: stopping ${workers.length} workers`);
    void stopWorkers(workers, options).then(() => {
      options.beforeExit?.(code);
      process.exit(code);
    });
  }

  cluster.on('message', (_worker, message) => {
    if (!isListenFailed(message) || stopping) return;
    process.stderr.write(`${message.message}\n`);
    stop('cannot listen', 1);
  });
  process.on('SIGINT', () => stop('SIGINT', 0));
  process.on('SIGTERM', () => stop('SIGTERM', 0));

  return {
    stop,
    get stopping() {
      return stopping;
    },
  };
}
