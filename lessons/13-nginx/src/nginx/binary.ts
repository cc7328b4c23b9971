// nginx is a system package, not an npm one: the lesson finds the binary,
// or says in one line how to install it and exits 2 (like any bad setting).
import { spawnSync } from 'node:child_process';
import { findSystemBinary } from '@cluster-course/shared/runtime/system-binary';

export const INSTALL_HINT =
  'install it with `apt-get install nginx` (Debian, Ubuntu), `dnf install nginx` (Fedora), `brew install nginx` (macOS), or see https://nginx.org/en/docs/install.html';

/**
 * NGINX if set (a path to the binary), else `nginx` on PATH or in the sbin
 * folders Debian puts it in (not on a normal user's PATH). Undefined when none.
 */
export function findNginx(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return findSystemBinary(['nginx'], env.NGINX, env);
}

/** The one line said when nginx cannot be found. */
export function missingNginx(env: NodeJS.ProcessEnv = process.env): string {
  const where = env.NGINX?.trim() ? `NGINX=${env.NGINX.trim()} is not an executable` : 'nginx is not installed';
  return `${where}: lesson 13 runs the real nginx; ${INSTALL_HINT}`;
}

/** nginx's version, e.g. "1.22.1" (`nginx -v` prints it on stderr). */
export function nginxVersion(bin: string): string {
  const { stdout, stderr } = spawnSync(bin, ['-v'], { encoding: 'utf8' });
  return /nginx\/(\d+\.\d+\.\d+)/.exec(`${stderr}${stdout}`)?.[1] ?? 'unknown';
}

/** `-e` (the error log used before the configuration is read) came in nginx 1.19.5. */
export function hasErrorLogFlag(version: string): boolean {
  const [major = 0, minor = 0, patch = 0] = version.split('.').map(Number);
  return major > 1 || (major === 1 && (minor > 19 || (minor === 19 && patch >= 5)));
}
