// A worker of the broker: a child process with no server and no socket. It
// gets requests as IPC messages and sends replies the same way.
//
//   GET  /echo?msg=text   replies with the text (proves replies never mix up)
//   GET  /work?ms=N       N ms of CPU-bound work, here, not in the primary
//   GET  /hang            never replies (the primary answers 504)
//   POST /crash           dies while handling it (the primary answers 502)
//   GET  /misbehave       sends malformed messages first, then the reply
import { ignoreTerminalCtrlC, workerLogger } from '@cluster-course/shared';
import { isRequest, type ReplyMessage, type RequestMessage, type WorkerMessage } from './protocol.ts';

const id = Number(process.env.BROKER_WORKER_ID ?? 0);
const log = workerLogger(id);

// `unknown`, not WorkerMessage: GET /misbehave sends malformed ones on purpose.
function send(message: unknown): void {
  // The primary may be gone; then there is nobody to answer anyway.
  if (process.connected) process.send?.(message);
}

function json(request: RequestMessage, status: number, value: object): ReplyMessage {
  const body = JSON.stringify({ worker: id, pid: process.pid, ...value });
  return { type: 'reply', id: request.id, status, contentType: 'application/json', body };
}

function burnCpu(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // busy: this is the CPU-bound work a broker is good for
  }
}

function handle(request: RequestMessage): ReplyMessage | undefined {
  const url = new URL(request.url, 'http://broker');
  const route = `${request.method} ${url.pathname}`;
  switch (route) {
    case 'GET /echo':
      return json(request, 200, { msg: url.searchParams.get('msg') ?? '' });
    case 'GET /work': {
      const raw = url.searchParams.get('ms') ?? '0';
      if (!/^\d{1,5}$/.test(raw) || Number(raw) > 10_000) {
        return json(request, 400, { error: 'ms must be an integer from 0 to 10000' });
      }
      burnCpu(Number(raw));
      return json(request, 200, { workedMs: Number(raw) });
    }
    case 'GET /hang':
      log(`request ${request.id}: GET /hang, never answering`);
      return undefined;
    case 'POST /crash':
      log(`request ${request.id}: POST /crash, dying now`);
      process.exit(70);
      break;
    case 'GET /misbehave':
      send('not an object');
      send({ type: 'reply', id: 'forty-two' });
      send({ type: 'gossip', about: 'the other workers' });
      send({ type: 'reply', id: -1, status: 200, contentType: 'text/plain', body: 'for a request nobody made' });
      return json(request, 200, { note: 'sent four bad messages before this reply' });
    default:
      return json(request, 404, { error: 'not found' });
  }
}

process.on('message', (message) => {
  if (!isRequest(message)) {
    log(`ignoring a malformed message from the primary: ${JSON.stringify(message)}`);
    return;
  }
  const reply = handle(message);
  if (reply) send(reply);
});

// A forked child does not die with its parent. This one alone might (its IPC
// channel is all that keeps it alive), but a real worker holds timers, pools,
// servers, and those would keep it running forever, reparented to init. The
// IPC channel closing is our signal that the primary is gone (or wants us gone).
process.on('disconnect', () => process.exit(0));
ignoreTerminalCtrlC();

// Only now can we receive requests: tell the primary.
send({ type: 'ready' } satisfies WorkerMessage);
