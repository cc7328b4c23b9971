// EXERCISE (lesson 07): choose the scheduling policy, before the first fork.
// Check your work with `pnpm exercise 07`; stuck? `pnpm exercise 07 --hint`.
//
// Lesson 07: the same cluster under either scheduling policy.
//
// The policy must be chosen before the first fork(): node:cluster reads
// NODE_CLUSTER_SCHED_POLICY when it loads, and cluster.schedulingPolicy can
// be set until the first worker is forked (later changes are ignored). We set
// it from the validated variable, so the two always agree.
import cluster from 'node:cluster';
import { config } from '../src/config.ts'; // the files you do not edit stay in src/
import { runPrimary } from '../src/primary.ts';
import { runWorker } from '../src/worker.ts';

if (cluster.isPrimary) {
  // TODO 1: set cluster.schedulingPolicy from config.policy ('rr' or 'none'):
  // cluster.SCHED_RR or cluster.SCHED_NONE. Here, before runPrimary() forks.
  //
  // TODO 2: then say which policy is in force, read back from
  // cluster.schedulingPolicy, with primaryLogger() from '@cluster-course/shared':
  //   'scheduling policy: rr (cluster.SCHED_RR): the primary accepts connections and deals them out in turn'
  //   'scheduling policy: none (cluster.SCHED_NONE): the workers accept from the shared socket; the kernel picks'
  void config; // (only so the unfinished file compiles: delete it)
  await runPrimary();
} else {
  runWorker();
}
