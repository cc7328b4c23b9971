// Where a process's cgroup is, per controller. The kernel says it in two files:
//   /proc/<pid>/cgroup     one line per hierarchy, "id:controllers:path", e.g.
//                          "4:memory:/process_api/0a67" (cgroup v1, one hierarchy
//                          per controller) or "0::/user.slice/app" (cgroup v2, one
//                          unified hierarchy for every controller);
//   /proc/<pid>/mountinfo  where each hierarchy is mounted: a line with the file
//                          system type "cgroup" (and the controller among its super
//                          options) or "cgroup2", e.g. /sys/fs/cgroup/memory.
// The folder is the mount point plus the path, less the mount's own root (inside
// a container the mount's root is the container's cgroup, and the path is "/").
// `root` lets a test read fixture files laid out like / (tests/15: cgroup v2).
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export type Controller = 'cpu' | 'memory';

export interface CgroupPlace {
  version: 1 | 2;
  /** The process's own cgroup folder for this controller, e.g. /sys/fs/cgroup/cpu/a. */
  dir: string;
  /** Where the hierarchy is mounted: the walk up to the top stops here. */
  mount: string;
}

interface Mount {
  root: string;
  point: string;
  type: string;
  options: string[];
}

function mounts(root: string, pid: string): Mount[] {
  return readFileSync(join(root, 'proc', pid, 'mountinfo'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [before = '', after = ''] = line.split(' - ');
      const fields = before.split(' ');
      const [type = '', , superOptions = ''] = after.split(' ');
      return { root: fields[3] ?? '/', point: fields[4] ?? '', type, options: superOptions.split(',') };
    });
}

/** The cgroup folder of `pid` (default: this process) for one controller, or undefined. */
export function cgroupOf(controller: Controller, root = '/', pid = 'self'): CgroupPlace | undefined {
  const lines = readFileSync(join(root, 'proc', pid, 'cgroup'), 'utf8')
    .split('\n')
    .filter(Boolean);
  const all = mounts(root, pid);
  const place = (path: string, mount: Mount | undefined, version: 1 | 2): CgroupPlace | undefined => {
    if (!mount) return undefined;
    const point = join(root, mount.point);
    const inside = relative(mount.root, path);
    // A path outside the mount's root cannot be seen from here: the mount's top is the nearest.
    return { version, dir: inside.startsWith('..') ? point : join(point, inside), mount: point };
  };
  // cgroup v1 first: where a controller is on a v1 hierarchy, it is not on the
  // unified one (a "hybrid" machine, like this course's CI, has both).
  for (const line of lines) {
    const [, controllers = '', path = '/'] = line.split(/:(.*?):/);
    if (!controllers.split(',').includes(controller)) continue;
    return place(
      path,
      all.find((m) => m.type === 'cgroup' && m.options.includes(controller)),
      1,
    );
  }
  const unified = lines.find((line) => line.startsWith('0::'));
  return unified
    ? place(
        unified.slice(3),
        all.find((m) => m.type === 'cgroup2'),
        2,
      )
    : undefined;
}
