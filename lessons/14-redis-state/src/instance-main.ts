// An instance's entry: the lesson (src/main.ts) starts INSTANCES of these,
// each with INSTANCE=n, PORT=<its port> and where Redis is. An instance is
// lesson 13's (a cluster whose workers drain on STOP, imported on purpose);
// what its workers serve is this lesson's: src/app.ts.
import { runInstance } from '@cluster-course/13-nginx/instance-cluster';
import { runApp } from './app.ts';

await runInstance(runApp);
