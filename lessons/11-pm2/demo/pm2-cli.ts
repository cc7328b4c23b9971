// The real `pm2` command, pointed at the lesson's PM2 through its PM2_HOME
// (the lesson prints it): what a learner types in another terminal, e.g.
//   PM2_HOME=/tmp/cluster-course-pm2/12345 pnpm exec pm2 ls
// The command talks to the God in the lesson's process over its RPC socket.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';

const bin = createRequire(import.meta.url).resolve('pm2/bin/pm2');

export async function pm2Cli(home: string, ...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [bin, ...args], {
    env: { ...process.env, PM2_HOME: home, NO_COLOR: '1', FORCE_COLOR: '0' },
    timeout: 20_000,
  });
  return stdout;
}
