import { badEnv, choiceEnv, readServerEnv } from '@cluster-course/shared';

/** This lesson's default port. */
export const DEFAULT_PORT = 3400;

const server = readServerEnv(DEFAULT_PORT);
/** shared: every worker listen(PORT); per-worker: each worker its own port. */
const portMode = choiceEnv('PORT_MODE', 'shared', ['shared', 'per-worker']);

// per-worker with a fixed PORT uses PORT + worker id: it must stay a port.
// (Workers forked later get higher ids; this lesson forks only WORKERS.)
if (portMode === 'per-worker' && server.port > 0 && server.port + server.workers > 65535) {
  badEnv(
    'PORT',
    String(server.port),
    `at most ${65535 - server.workers} with PORT_MODE=per-worker and WORKERS=${server.workers}`,
  );
}

export const config = { ...server, portMode };
