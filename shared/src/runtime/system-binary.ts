// Finding an engine that is a system package, not an npm one (nginx in
// lessons 13 and 14, redis-server in 14): a path the user gave, or the first
// of its names on PATH or in the sbin folders Debian puts daemons in (not on
// a normal user's PATH). Undefined when there is none: the lesson then says
// in one line how to install it and exits 2.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `given` if set (then it must be executable), else the first of `names` found. */
export function findSystemBinary(
  names: string[],
  given: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (given?.trim()) return isExecutable(given.trim()) ? given.trim() : undefined;
  const dirs = [...(env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin'].filter(Boolean);
  return names.flatMap((name) => dirs.map((dir) => join(dir, name))).find(isExecutable);
}
