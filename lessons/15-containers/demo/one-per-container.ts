// One process per container, or a cluster in one container? Measured where one
// machine can measure it: the same CPU (1 CPU in all) and the same load, as
//   - two "containers" of 0.5 CPU with one process each (CPUS=0.5 WORKERS=1),
//     behind the real nginx, as an orchestrator's Service would balance them
//     (lesson 13's nginx configuration and process, used on purpose);
//   - one container of 1 CPU with WORKERS=auto (1 worker) and with 2 workers.
// An instrument of the demo, not of the lesson's program.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nginxVersion } from '@cluster-course/13-nginx/nginx/binary';
import { nginxConf } from '@cluster-course/13-nginx/nginx/conf';
import { startNginx } from '@cluster-course/13-nginx/nginx/process';
import { reservePorts } from '@cluster-course/shared';
import { type LessonProcess, startLesson } from '@cluster-course/shared/harness';
import { privateStateDir, removeStateDir } from '@cluster-course/shared/runtime/state-dir';
import { loadUnderQuota, type QuotaLoad } from './measure.ts';
import { cgroupOfLesson } from './observe.ts';

const dir = new URL('..', import.meta.url).pathname;
const start = (env: Record<string, string>) =>
  startLesson(dir, { env: { PORT: '0', NO_COLOR: '1', ...env }, readyTimeoutMs: 30_000 });

/** Two 0.5-CPU containers of one process each behind nginx, under `lanes` clients for `ms`. */
export async function twoHalfContainers(nginxBin: string, lanes: number, ms: number): Promise<QuotaLoad> {
  const containers: LessonProcess[] = [];
  const prefix = privateStateDir('nginx');
  try {
    for (let i = 0; i < 2; i++) containers.push(await start({ CPUS: '0.5', WORKERS: '1' }));
    const [port = 0] = await reservePorts(1);
    mkdirSync(join(prefix, 'temp'), { recursive: true });
    const confPath = join(prefix, 'nginx.conf');
    const upstreams = containers.map((c, i) => ({ instance: i + 1, port: c.port }));
    writeFileSync(
      confPath,
      nginxConf({ prefix, host: '127.0.0.1', port, upstreams, balance: 'least_conn', keepalive: 8 }),
    );
    const nginx = startNginx(nginxBin, nginxVersion(nginxBin), prefix, confPath, () => {});
    try {
      await nginx.listening;
      const dirs = containers.map((c) => cgroupOfLesson(c).cpu);
      return await loadUnderQuota(`http://127.0.0.1:${port}`, dirs, lanes, ms);
    } finally {
      await nginx.stop();
    }
  } finally {
    for (const c of containers) await c.dispose();
    removeStateDir(prefix);
  }
}
