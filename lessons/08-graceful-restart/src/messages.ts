// The two messages of the drain, one each way over the IPC channel.

/** Primary → worker: stop accepting, finish what you have, then say so. */
export const STOP = { type: 'stop' } as const;

/** Worker → primary: my last connection is closed; disconnect me. */
export const DRAINED = { type: 'drained' } as const;

/** IPC messages arrive as `unknown` (any JSON value): check before trusting. */
export function isMessage<T extends { type: string }>(message: unknown, kind: T): message is T {
  return (message as { type?: unknown } | null | undefined)?.type === kind.type;
}
