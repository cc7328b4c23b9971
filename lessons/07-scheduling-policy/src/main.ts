// Lesson 07: the same cluster under either scheduling policy.
//
// The policy must be chosen before the first fork(): node:cluster reads
// NODE_CLUSTER_SCHED_POLICY when it loads, and cluster.schedulingPolicy can
// be set until the first worker is forked (later changes are ignored). We set
// it from the validated variable, so the two always agree.
import cluster from 'node:cluster';
import { primaryLogger } from '@cluster-course/shared';
import { config } from './config.ts';
import { runPrimary } from './primary.ts';
import { runWorker } from './worker.ts';

if (cluster.isPrimary) {
  cluster.schedulingPolicy = config.policy === 'rr' ? cluster.SCHED_RR : cluster.SCHED_NONE;
  primaryLogger()(
    cluster.schedulingPolicy === cluster.SCHED_RR
      ? 'scheduling policy: rr (cluster.SCHED_RR): the primary accepts connections and deals them out in turn'
      : 'scheduling policy: none (cluster.SCHED_NONE): the workers accept from the shared socket; the kernel picks',
  );
  await runPrimary();
} else {
  runWorker();
}
