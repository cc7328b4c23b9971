// What lessons import. The harness, request helpers and process tools are
// separate entry points (`@cluster-course/shared/harness`, `/http`, `/proc`)
// so a lesson's server code does not load undici or the harness.
export { type ClusterStop, type ClusterStopOptions, handleClusterStop } from './cluster-stop.ts';
export { badEnv, choiceEnv, flagEnv, intEnv, readHostPort, readServerEnv, type ServerEnv } from './env.ts';
export { holdLifeline } from './lifeline.ts';
export {
  describeListenError,
  exitIfPortInUse,
  isListenFailed,
  type ListenFailed,
  type ListenTarget,
  listenOrReport,
} from './listen-error.ts';
export { announceReady, type Logger, primaryLogger, urlOf, workerLogger } from './log.ts';
export { releasePorts, reservePort, reservePorts } from './ports.ts';
export { type StartPrimaryOptions, startPrimary } from './start-primary.ts';
export { ignoreTerminalCtrlC, type StopWorkersOptions, stopWorkers } from './stop-workers.ts';
