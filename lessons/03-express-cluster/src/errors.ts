// Turning every failure into a status code and a short JSON message. Without
// this, Express answers errors with its default handler: an HTML page that,
// outside production, includes the stack trace.
import type { ErrorRequestHandler, RequestHandler } from 'express';

/** Unknown route: 404 as JSON, not Express's HTML "Cannot GET /x". */
export const notFound: RequestHandler = (req, res) => {
  res.status(404).json({ error: 'not found', method: req.method, path: req.path });
};

/** body-parser's error types, and what the client is told. */
const clientErrors: Record<string, string> = {
  'entity.parse.failed': 'malformed JSON body',
  'entity.too.large': 'body too large (limit 100 kB)',
  'charset.unsupported': 'unsupported charset',
  'encoding.unsupported': 'unsupported content encoding',
  'request.aborted': 'request aborted',
  'request.size.invalid': 'body size does not match Content-Length',
};

export const errorHandler: ErrorRequestHandler = (err, req, res, next) => {
  // Too late for a status code: let Express close the connection.
  if (res.headersSent) return next(err);
  const status = Number(err?.status ?? err?.statusCode) || 500;
  if (status >= 500) {
    // The details go to the log, for us; the client gets no internals.
    console.error(`${req.method} ${req.originalUrl} failed:`, err);
    res.status(500).json({ error: 'internal error' });
    return;
  }
  res.status(status).json({ error: clientErrors[err?.type] ?? 'bad request' });
};
