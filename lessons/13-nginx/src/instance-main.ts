// An instance's entry: the lesson (src/main.ts) starts INSTANCES of these,
// each with INSTANCE=n and PORT=<its port>, and puts nginx in front of them.
// The instance is a cluster (src/instance-cluster.ts) whose workers serve src/app.ts.
import { runApp } from './app.ts';
import { runInstance } from './instance-cluster.ts';

await runInstance(runApp);
