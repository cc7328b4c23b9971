// A chat client for the demo and the tests: the real socket.io-client, over
// WebSocket only (as the server asks), through nginx. It keeps every message
// it receives and the id of the last one, and it reconnects only when told
// to (reconnection: false), so a test decides the order of events: kill an
// instance, let others speak, then come back.
import { type EventEmitter, once } from 'node:events';
import { io, type Socket } from 'socket.io-client';

export interface Welcome {
  instance: number;
  workerId: number;
  pid: number;
  recovered: boolean;
}

export interface Said {
  id: string;
  text: string;
  instance: number;
  workerId: number;
}

/** node:events once() on socket.io-client's emitter (it has on/off, not Node's EventEmitter type). */
const next = (emitter: object, event: string, ms: number) =>
  once(emitter as EventEmitter, event, { signal: AbortSignal.timeout(ms) });

export class ChatClient {
  readonly socket: Socket;
  readonly received: Said[] = [];
  welcome: Welcome | undefined;

  constructor(url: string | URL) {
    this.socket = io(String(url), { transports: ['websocket'], reconnection: false, autoConnect: false });
    this.socket.on('said', (message: Said) => this.received.push(message));
  }

  get lastId(): string | undefined {
    return this.received.at(-1)?.id;
  }

  /** Connects (again), resolves with the server's welcome: which instance, and whether the session was recovered. */
  async connect(timeoutMs = 10_000): Promise<Welcome> {
    const welcomed = next(this.socket, 'welcome', timeoutMs).catch(() => {
      throw new Error(`no welcome within ${timeoutMs} ms (connected: ${this.socket.connected})`);
    });
    this.socket.connect();
    [this.welcome] = (await welcomed) as [Welcome];
    return this.welcome;
  }

  async say(text: string): Promise<{ ok?: boolean; id?: string; error?: string }> {
    return this.socket.timeout(5_000).emitWithAck('say', text);
  }

  /** What was said after our last message, from the chat's record (for a session that was not recovered). */
  async catchUp(): Promise<Said[]> {
    if (!this.lastId) return [];
    const reply = (await this.socket.timeout(5_000).emitWithAck('since', this.lastId)) as { missed?: Said[] };
    const missed = reply.missed ?? [];
    this.received.push(...missed);
    return missed;
  }

  /** Resolves once `count` messages have arrived in all. */
  async waitForMessages(count: number, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const late = () => new Error(`${this.received.length} of ${count} messages after ${timeoutMs} ms`);
    while (this.received.length < count) {
      if (Date.now() > deadline) throw late();
      await next(this.socket, 'said', Math.max(1, deadline - Date.now())).catch(() => {
        throw late();
      });
    }
  }

  /**
   * Disconnects, and resolves once the WebSocket under it has closed: the
   * server has read the close and answered it (2 s at most). Stopping the
   * lesson before that would find the connection still closing, and a
   * worker leaving then resets it (nginx logs "recv() failed (104...").
   */
  async close(): Promise<void> {
    // engine.io-client keeps the WebSocket (the ws package's, on Node.js) as its transport's `ws`.
    type Ws = EventEmitter & { readyState: number };
    const ws = (this.socket.io.engine?.transport as unknown as { ws?: Ws | null } | undefined)?.ws;
    const open = ws && ws.readyState !== 3; // 3: CLOSED already (its instance was killed, say)
    const closed = open ? once(ws, 'close', { signal: AbortSignal.timeout(2_000) }).catch(() => {}) : undefined;
    this.socket.disconnect();
    await closed;
  }
}

/**
 * One client on instance 1 and one on instance 2, both through nginx: nginx
 * picks the instance, so connect until both are met (at most 6 tries).
 * The clients not kept are closed; on a failure, all of them.
 */
export async function onEachInstance(url: string | URL): Promise<[ChatClient, ChatClient]> {
  const made: ChatClient[] = [];
  const byInstance = new Map<number, ChatClient>();
  try {
    for (let tries = 0; tries < 6 && byInstance.size < 2; tries++) {
      const client = new ChatClient(url);
      made.push(client);
      const { instance } = await client.connect();
      if (!byInstance.has(instance)) byInstance.set(instance, client);
    }
  } finally {
    const kept = byInstance.size === 2 ? [...byInstance.values()] : [];
    await Promise.all(made.filter((client) => !kept.includes(client)).map((client) => client.close()));
  }
  const [one, two] = [byInstance.get(1), byInstance.get(2)];
  if (!one || !two) throw new Error('no client reached both instances');
  return [one, two];
}
