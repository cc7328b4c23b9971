// The messages between the primary and its workers. IPC carries one
// JSON-serialized object per send(); this file says which objects are valid.
// Anything else that arrives is logged and ignored, never trusted.

/** Primary → worker: handle this HTTP request. */
export interface RequestMessage {
  type: 'request';
  /** Correlation id: the reply carries it back. */
  id: number;
  method: string;
  /** Path and query, e.g. `/echo?msg=hi`. */
  url: string;
}

/** Worker → primary: the worker's message handler is attached. */
export interface ReadyMessage {
  type: 'ready';
}

/** Worker → primary: the answer to request `id`. */
export interface ReplyMessage {
  type: 'reply';
  id: number;
  status: number;
  contentType: string;
  body: string;
}

export type WorkerMessage = ReadyMessage | ReplyMessage;

export function isRequest(value: unknown): value is RequestMessage {
  const m = value as Partial<RequestMessage> | null;
  return (
    typeof m === 'object' &&
    m !== null &&
    m.type === 'request' &&
    Number.isInteger(m.id) &&
    typeof m.method === 'string' &&
    typeof m.url === 'string'
  );
}

/** A reply as the protocol defines it; anything else from a worker is logged and ignored. */
export function isReply(value: unknown): value is ReplyMessage {
  const m = value as Partial<ReplyMessage> | null;
  return (
    typeof m === 'object' &&
    m !== null &&
    m.type === 'reply' &&
    Number.isInteger(m.id) &&
    Number.isInteger(m.status) &&
    typeof m.contentType === 'string' &&
    typeof m.body === 'string'
  );
}
