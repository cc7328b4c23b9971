// The messages between the primary and a worker that are this lesson's own.
// (Socket.IO's libraries send theirs on the same channel, tagged their way.)

/** A worker tells the primary it can take connections (in MODE=plain, on which port it listens). */
export const READY = { type: 'chat:ready' } as const;
export interface Ready {
  type: typeof READY.type;
  port?: number;
}

/** The primary hands a worker a client's connection (the socket goes along as the handle). */
export const CONNECTION = { type: 'chat:connection' } as const;

export function isMessage<T extends { type: string }>(message: unknown, like: T): message is T {
  return (message as { type?: unknown } | null)?.type === like.type;
}
