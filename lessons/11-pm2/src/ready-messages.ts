// wait_ready, seen from PM2's side. PM2's God runs in this process (no
// daemon), so an instance's process.send('ready') arrives here, as a message
// from a cluster worker on its IPC channel (lesson 01). We see it first:
// node:cluster relays a worker's messages to cluster.on('message') from
// inside cluster.fork() (lib/internal/cluster/primary.js), and PM2 adds its
// own listener only after fork() returns (PM2 7.0.4, lib/God/ClusterMode.js),
// then concludes the instance's start on it (lib/God.js: packet.raw === 'ready').
// So every "sent 'ready'" line comes before PM2 counts that instance online.
// An instance that never sends it is counted online anyway, once
// listen_timeout runs out: nothing in PM2's log says so, this file does.
import cluster, { type Worker } from 'node:cluster';

/** PM2 sets pm2_env on each Worker it forks; pm_id is its instance number. */
type Pm2Worker = Worker & { pm2_env?: { pm_id?: number } };

/** Says each ready message as it comes; returns the ids of the instances that sent one. */
export function watchReadyMessages(log: (line: string) => void): Set<number> {
  const sent = new Set<number>();
  cluster.on('message', (worker: Pm2Worker, message: unknown) => {
    if (message !== 'ready') return;
    const id = worker.pm2_env?.pm_id ?? -1;
    sent.add(id);
    log(`instance ${id} (pid ${worker.process.pid}) sent 'ready': PM2 counts it online`);
  });
  return sent;
}

/** After pm2.start: name the instances PM2 counted online without their ready message. */
export function reportSilentInstances(sent: Set<number>, instances: number, log: (line: string) => void): void {
  const silent = Array.from({ length: instances }, (_, id) => id).filter((id) => !sent.has(id));
  if (silent.length === 0) return;
  log(
    `instance(s) ${silent.join(', ')} never sent 'ready': PM2 counted them online when listen_timeout ran out ` +
      "(wait_ready: the app must call process.send('ready') once it listens)",
  );
}
