// Role-prefixed logging: every line says which process wrote it, so the
// interleaved output of a primary and its workers stays readable.
import { styleText } from 'node:util';

type Color = 'cyan' | 'yellow' | 'magenta' | 'green' | 'blue';
const workerColors: Color[] = ['yellow', 'magenta', 'green', 'blue'];

// Colour only for a person at a terminal; tools and tests read plain text.
const useColor = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;

function paint(color: Color, text: string): string {
  return useColor ? styleText(color, text) : text;
}

export type Logger = (message: string) => void;

function logger(prefix: string): Logger {
  return (message) => {
    process.stdout.write(`${prefix} ${message}\n`);
  };
}

/** `[primary 1234] message` */
export function primaryLogger(pid = process.pid): Logger {
  return logger(paint('cyan', `[primary ${pid}]`));
}

/** `[worker 2 (pid 1240)] message` */
export function workerLogger(id: number | string, pid = process.pid): Logger {
  const color = workerColors[(Number(id) || 0) % workerColors.length] ?? 'yellow';
  return logger(paint(color, `[worker ${id} (pid ${pid})]`));
}

/**
 * The ready line: tools and tests wait for it. It is printed once, by the
 * primary, when every initial worker is listening, e.g.
 * `ready: http://127.0.0.1:41235 (4 workers)`.
 */
export function announceReady(url: string, detail: string): void {
  process.stdout.write(`ready: ${url} (${detail})\n`);
}

/** Format a host and port as a URL, with brackets for IPv6 literals. */
export function urlOf(protocol: 'http' | 'tcp', host: string, port: number): string {
  const shown = host.includes(':') ? `[${host}]` : host;
  return `${protocol}://${shown}:${port}`;
}
