// A real browser for the tests and demos that open a page: the system's
// Chromium (Debian's `chromium` package), driven by playwright-core. No
// browser download: playwright-core ships none, and is pointed at the binary.
import { findSystemBinary } from '../runtime/system-binary.ts';

export type { Browser, Page } from 'playwright-core';

export const CHROMIUM_HINT =
  'install it with `apt-get install chromium` (Debian, Ubuntu), or set CHROMIUM=/path/to/chrome (Chrome or Chromium)';

/** CHROMIUM if set, else the first Chromium or Chrome on PATH. Undefined when none. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return findSystemBinary(['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome'], env.CHROMIUM, env);
}

/**
 * Headless Chromium. --no-sandbox: the sandbox needs user namespaces that
 * root in a container often lacks; the pages here are the course's own.
 * Close it with browser.close() (the tests do, in a finally).
 */
export async function launchChromium(executablePath: string) {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
}
