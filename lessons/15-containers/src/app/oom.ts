// Was it the OOM killer? A worker that the kernel kills for memory exits like
// any `kill -9`: signal SIGKILL, nothing else. The memory cgroup counts its
// kills, so the primary can tell (it reads its own cgroup: it is inside it):
//   cgroup v1  memory.oom_control  "oom_kill 1"
//   cgroup v2  memory.events       "oom_kill 1"
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cgroupOf } from '../cgroup/hierarchy.ts';

/** How many processes the OOM killer has killed in this process's memory cgroup. */
export function oomKills(): { count: number; file: string } | undefined {
  const place = cgroupOf('memory');
  if (!place) return undefined;
  const file = join(place.dir, place.version === 1 ? 'memory.oom_control' : 'memory.events');
  try {
    const count = Number(/^oom_kill (\d+)$/m.exec(readFileSync(file, 'utf8'))?.[1]);
    return Number.isNaN(count) ? undefined : { count, file };
  } catch {
    return undefined;
  }
}
