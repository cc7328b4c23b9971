// Loaded with `node --import` before a lesson runs as an exercise (the
// harness adds it when CLUSTER_COURSE_EXERCISE names the lesson). Workers and
// forked children inherit the flag and the environment, so they load the
// learner's files too. Plain JavaScript: it runs before tsx is in place.
//
// module.registerHooks() (Node.js 22.15+, 23.5+) runs the hook in this
// thread, as tsx itself does where it can; module.register() is the older,
// off-thread way, the only one on Node.js 20, and deprecated since 26 (its
// warning on stderr would break a lesson's "one line" promises).
import * as module from 'node:module';
import * as hooks from './hooks.mjs';

// The names are HOOK_ENV's (shared/src/harness/hook-env.ts), written out:
// a .mjs loaded this early imports no TypeScript.
const data = {
  src: process.env.CLUSTER_COURSE_EXERCISE_SRC,
  exercise: process.env.CLUSTER_COURSE_EXERCISE_DIR,
};

if (typeof module.registerHooks === 'function') {
  hooks.initialize(data);
  module.registerHooks({ resolve: hooks.resolveSync });
} else {
  module.register('./hooks.mjs', import.meta.url, { data });
}
