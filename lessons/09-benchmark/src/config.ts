import { choiceEnv, readServerEnv } from '@cluster-course/shared';

/** This lesson's default port. */
export const DEFAULT_PORT = 3900;

export const TARGETS = ['single', 'cluster', 'broker', 'reuseport'] as const;
export type Target = (typeof TARGETS)[number];

export function isTarget(name: string): name is Target {
  return (TARGETS as readonly string[]).includes(name);
}

/** server.listen({ reusePort }) came in Node.js 22.12 and 23.1. */
export function reusePortSupported(version = process.versions.node): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major >= 24 || (major === 23 && minor >= 1) || (major === 22 && minor >= 12);
}

export const config = {
  ...readServerEnv(DEFAULT_PORT),
  target: choiceEnv('TARGET', 'cluster', TARGETS),
};

if (config.target === 'reuseport' && !reusePortSupported()) {
  process.stderr.write(
    `TARGET=reuseport is unavailable: server.listen({ reusePort }) needs Node.js 22.12+ or 23.1+ (this is ${process.version})\n`,
  );
  process.exit(2);
}
