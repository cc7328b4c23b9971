// The opening of every lesson primary after 01 (which writes it out):
// say who it is, stop with whatever started it (src/lifeline.ts), and find a
// taken port before forking anything (src/listen-error.ts).
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
  await exitIfPortInUse(host, ports);
}
