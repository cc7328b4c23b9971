// The opening of every lesson primary after 01 (which writes it out):
// say who it is, stop with whatever started it (src/lifeline.ts), find a
// taken port before forking anything (src/listen-error.ts), and survive a
// worker that ends while Node.js is answering it (its 'error' event, see
// lesson 01's src/primary.ts).
import cluster from 'node:cluster';
import { holdLifeline } from './lifeline.ts';
import { exitIfPortInUse } from './listen-error.ts';

export interface StartPrimaryOptions {
  log(line: string): void;
  host: string;
  /** The ports the workers will listen on (0 needs no check). */
  ports: number[];
  /** Said in brackets after "Primary <pid> is running". */
  about?: string;
}

export async function startPrimary({ log, host, ports, about }: StartPrimaryOptions): Promise<void> {
  log(`Primary ${process.pid} is running${about ? ` (${about})` : ''}`);
  holdLifeline();
  // A message to a worker that has just ended fails with EPIPE, emitted as
  // 'error' on its Worker; with no listener it would kill the primary. The
  // worker's 'exit' follows, where each lesson handles the loss.
  cluster.on('fork', (worker) => {
    worker.on('error', (err) => log(`worker ${worker.id} (pid ${worker.process.pid}): ${err.message}`));
  });
  await exitIfPortInUse(host, ports);
}
