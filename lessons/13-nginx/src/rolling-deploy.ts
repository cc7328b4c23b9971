// SIGHUP: a rolling deploy across the instances, one at a time. For each:
//   1. take it out of nginx's upstream group (`down`, reload): no new request goes to it;
//   2. drain it (SIGTERM: its workers finish what they have, src/app.ts) and wait for its exit;
//   3. start its replacement on the same port and wait for its ready line;
//   4. put it back (reload).
// The other instances serve meanwhile, so no client sees a failure. Lesson
// 08 did the same inside one instance, worker by worker.
//
// The order matters. Dead instances go first: they serve nobody, so
// replacing them costs nothing, and taking a live instance out while others
// are dead could leave nginx with no instance at all (every request a 502,
// "no live upstreams" in its log). A reload also makes nginx forget which
// instances failed, so the dead ones would be tried again meanwhile.
import { type Instance, isRunning, stopInstance } from './instances.ts';

export interface DeploySteps {
  instances: Instance[];
  /** Rewrites nginx's configuration with these instances marked down, and reloads it. */
  route(down: Set<number>): Promise<void>;
  start(instance: Instance): Promise<boolean>;
  log(line: string): void;
  /** True once the lesson is stopping: the deploy ends there. */
  stopping(): boolean;
}

const pidOf = (instance: Instance) => instance.process?.pid ?? 'none';

export async function rollingDeploy({ instances, route, start, log, stopping }: DeploySteps): Promise<void> {
  log(`SIGHUP: rolling deploy of ${instances.length} instances, one at a time`);
  if (instances.length === 1)
    log('one instance: nothing serves while it restarts (a rolling deploy needs two or more)');
  const order = [...instances.filter((i) => !isRunning(i)), ...instances.filter(isRunning)];
  for (const instance of order) {
    const before = pidOf(instance);
    log(`instance ${instance.n} (pid ${before}): out of nginx's rotation (down, reload)`);
    await route(new Set([instance.n]));
    if (stopping()) return;
    if (isRunning(instance)) log(`instance ${instance.n} (pid ${before}): draining`);
    await stopInstance(instance);
    if (stopping()) return;
    if (!(await start(instance))) {
      if (!stopping()) log(`instance ${instance.n} did not start: deploy stopped; it stays out of the rotation`);
      return;
    }
    await route(new Set());
    log(`instance ${instance.n}: pid ${before} replaced by pid ${pidOf(instance)}, back in the rotation`);
    if (stopping()) return;
  }
  log(`rolling deploy complete: ${instances.map((i) => `instance ${i.n} pid ${pidOf(i)}`).join(', ')}`);
}

/** The SIGHUP handler's side: one deploy at a time, none while the lesson stops. */
export function deployOnDemand(steps: DeploySteps): () => void {
  let running = false; // this file's own: a second SIGHUP during a deploy is refused
  return () => {
    if (running || steps.stopping()) return steps.log('SIGHUP: not now (stopping, or a deploy is under way)');
    running = true;
    void rollingDeploy(steps).finally(() => {
      running = false;
    });
  };
}
