// The variables through which the harness asks something of the processes
// it starts, in one place. Each is read only by the file named beside it,
// never by a lesson's own code. (The lifeline's, which lesson programs do
// read, is runtime: LIFELINE_ENV in shared/src/runtime/lifeline.ts.)
export const HOOK_ENV = {
  /** hold-worker.ts: hold the worker with this id before its code runs. */
  hold: 'CLUSTER_COURSE_HOLD_WORKER',
  /** hold-worker.ts: pause the worker with this id until it gets SIGUSR2. */
  pause: 'CLUSTER_COURSE_PAUSE_WORKER',
  /**
   * hold-worker.ts: the cluster worker with this id stops itself (SIGSTOP)
   * right after it has sent the primary its request to listen.
   */
  stopAfterListenRequest: 'CLUSTER_COURSE_STOP_AFTER_LISTEN_REQUEST',
  /**
   * hold-worker.ts: for workers a lesson forks itself (not cluster workers),
   * the name of the variable that carries each one's id (lesson 05's
   * BROKER_WORKER_ID).
   */
  workerIdFrom: 'CLUSTER_COURSE_WORKER_ID_FROM',
  /** hold-threads.mjs (which spells it out: it cannot import this file): hold every worker thread before its code runs. */
  holdThreads: 'CLUSTER_COURSE_HOLD_THREADS',
  /** freeze-upgrade.ts: stop the primary after it hands over a WebSocket upgrade, the worker after its 101. */
  freezeUpgrade: 'CLUSTER_COURSE_FREEZE_UPGRADE',
  /** log-hand-offs.ts: the primary prints a line for each socket it hands to a worker. */
  logHandOffs: 'CLUSTER_COURSE_LOG_HAND_OFFS',
  /** harness.ts, tools/exercise/: the lesson folder whose exercise runs instead of its src/. */
  exercise: 'CLUSTER_COURSE_EXERCISE',
  /** tools/exercise/register.mjs: the lesson's src/ and the learner's exercise folder. */
  exerciseSrc: 'CLUSTER_COURSE_EXERCISE_SRC',
  exerciseDir: 'CLUSTER_COURSE_EXERCISE_DIR',
} as const;
