// Loaded with `node --import` before a lesson runs as an exercise (the
// harness adds it when CLUSTER_COURSE_EXERCISE names the lesson). Workers and
// forked children inherit the flag and the environment, so they load the
// learner's files too. Plain JavaScript: it runs before tsx is in place.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url, {
  data: {
    src: process.env.CLUSTER_COURSE_EXERCISE_SRC,
    exercise: process.env.CLUSTER_COURSE_EXERCISE_DIR,
  },
});
