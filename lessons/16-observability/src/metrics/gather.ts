// The primary's side of the gather: one IPC round trip to every worker,
// with a deadline. prom-client's own clusterMetrics() does the same round
// trip, but waits 5 s (fixed) for every worker and then rejects the whole
// scrape: one stuck worker and the cluster has no metrics at all. Here the
// scrape answers by the deadline with whatever came back, and says which
// workers did not answer (cluster_worker_up 0, src/metrics/own.ts), which
// is itself the most useful thing a scrape can tell you about them.
import cluster, { type Worker } from 'node:cluster';
import { performance } from 'node:perf_hooks';
import { type GatherAnswer, type GatherRequest, isType } from './messages.ts';

export interface Gathered {
  /** Every worker asked, in order. */
  asked: Worker[];
  /** The answers that came back in time. */
  answers: Map<Worker, GatherAnswer>;
  /** How long the round trip took, in seconds. */
  seconds: number;
}

let nextId = 1;

export function gather(workers: Iterable<Worker>, timeoutMs: number): Promise<Gathered> {
  const id = nextId++;
  const started = performance.now();
  const asked = [...workers].filter((worker) => worker.isConnected());
  const answers = new Map<Worker, GatherAnswer>();
  const waiting = new Set(asked);

  return new Promise((resolve) => {
    const finish = () => {
      clearTimeout(deadline);
      cluster.off('message', onMessage);
      cluster.off('exit', onExit);
      resolve({ asked, answers, seconds: (performance.now() - started) / 1000 });
    };
    const settle = (worker: Worker) => {
      if (waiting.delete(worker) && waiting.size === 0) finish();
    };
    const onMessage = (worker: Worker, message: unknown) => {
      // An answer to an older scrape (one that timed out) is not ours.
      if (!isType<GatherAnswer>(message, 'metrics:answer') || message.id !== id || !waiting.has(worker)) return;
      answers.set(worker, message);
      settle(worker);
    };
    const onExit = (worker: Worker) => settle(worker); // it will not answer
    const deadline = setTimeout(finish, timeoutMs);
    cluster.on('message', onMessage);
    cluster.on('exit', onExit);
    if (waiting.size === 0) return finish();
    const request: GatherRequest = { type: 'metrics:gather', id };
    // The callback: a worker whose channel closes under us fails the send
    // (an error we must catch, or it is thrown), and will not answer.
    for (const worker of asked) worker.send(request, undefined, (err) => err && settle(worker));
  });
}
