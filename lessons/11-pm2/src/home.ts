// PM2 keeps its state in PM2_HOME (~/.pm2 unless told otherwise): its RPC
// sockets, pid files, logs, the saved process list. The lesson gives PM2 a
// home of its own, so it never touches yours: a folder named after the
// lesson's pid, removed when the lesson stops. A lesson killed outright
// (SIGKILL) cannot remove it; the next start removes every home whose
// process is gone (the plumbing is shared/src/runtime/state-dir.ts; lesson 13 gives
// nginx its prefix the same way).
import {
  privateStateDir,
  removeStateDir,
  stateRoot,
  sweepStaleStateDirs,
} from '@cluster-course/shared/runtime/state-dir';

export const HOMES = stateRoot('pm2');
export const sweepStaleHomes = () => sweepStaleStateDirs('pm2');
export const privateHome = () => privateStateDir('pm2');
export const removeHome = removeStateDir;
