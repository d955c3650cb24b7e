import express from 'express';
import { Logger } from '../logger';

/** Messages for the body parser's refusals, which would otherwise reach the client as an HTML stack trace. */
const BODY_ERRORS: Record<string, string> = {
  'entity.parse.failed': 'The request body is not valid JSON',
  'entity.too.large': 'The request body is too large',
  'charset.unsupported': 'The request body has an unsupported charset',
  'encoding.unsupported': 'The request body has an unsupported Content-Encoding',
};

/**
 * The last Express handler: a client's bad request body becomes a GraphQL
 * error with its 4xx status; anything else is logged and answered 500,
 * never with a stack trace or a path.
 */
export function requestErrorHandler(log: Logger): express.ErrorRequestHandler {
  return (err, _req, res, next) => {
    if (res.headersSent) { next(err); return; }
    const status = Number(err?.status ?? err?.statusCode);
    if (status >= 400 && status < 500 && err?.expose) {
      const message = BODY_ERRORS[err.type] ?? 'The request could not be read';
      res.status(status).json({ errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] });
      return;
    }
    log.error({ err }, 'request failed');
    res.status(500).json({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
  };
}
