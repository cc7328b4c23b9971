// The chat itself, the same in every mode: what changes between modes is
// only which worker a client's requests reach and where a broadcast goes.
//   whoami (ack)  -> which worker serves this client
//   join(name)    -> everyone hears "<name> joined"
//   message(text) -> everyone gets { from, text, workerId }
// "Everyone" is io.emit(): every client of this Socket.IO server. With the
// default in-memory adapter that means every client of this worker only;
// with the cluster adapter (MODE=library) the adapter relays it to the
// other workers, which emit it to theirs.
import type { Logger } from '@cluster-course/shared';
import type { Server } from 'socket.io';
import type { Mode } from './config.ts';

export interface Identity {
  workerId: number;
  workerPid: number;
  mode: Mode;
}

const MAX_TEXT = 500;
const isText = (value: unknown): value is string => typeof value === 'string' && value.length <= MAX_TEXT;

export function serveChat(io: Server, me: Identity, log: Logger): void {
  // A request Engine.IO refuses: in MODE=plain, "Session ID unknown" means
  // the request reached a worker that did not do this client's handshake.
  io.engine.on('connection_error', (err: { message: string; req: { url?: string } }) => {
    const sid = /sid=([\w-]+)/.exec(err.req.url ?? '')?.[1];
    log(`refused a request: ${err.message}${sid ? ` (sid ${sid})` : ''}`);
  });

  io.on('connection', (socket) => {
    const transport = socket.conn.transport.name;
    log(`client ${socket.id} connected over ${transport} from ${socket.handshake.address}`);
    socket.conn.once('upgrade', () => log(`client ${socket.id} upgraded to ${socket.conn.transport.name}`));

    socket.on('whoami', (ack: unknown) => {
      if (typeof ack === 'function') ack(me);
    });
    socket.on('join', (name: unknown) => {
      if (!isText(name) || name.trim() === '') return;
      socket.data.name = name.trim();
      io.emit('joined', { name: socket.data.name, workerId: me.workerId });
    });
    socket.on('message', (text: unknown) => {
      if (!isText(text)) return;
      io.emit('message', { from: socket.data.name ?? socket.id, text, workerId: me.workerId });
    });
  });
}
