import express from 'express';
import { Logger } from '../logger';

/** Messages for the body parser's refusals, which would otherwise reach the client as an HTML stack trace. */
const BODY_ERRORS: Record<string, string> = {
  'entity.parse.failed': 'The request body is not valid JSON',
  'entity.too.large': 'The request body is too large',
  'charset.unsupported': 'The request body has an unsupported charset',
  'encoding.unsupported': 'The request body has an unsupported Content-Encoding',
};

/** The answer to a request body refused before GraphQL sees it (body-parser's error `type`, e.g. `entity.parse.failed`). */
export function bodyRefusal(type: string | undefined): { errors: [{ message: string; extensions: { code: 'BAD_REQUEST' } }] } {
  return { errors: [{ message: (type && BODY_ERRORS[type]) || 'The request could not be read', extensions: { code: 'BAD_REQUEST' } }] };
}

/** What a request that failed for a reason of the server's own is answered (the cause is logged, never sent). */
export const INTERNAL_ERROR_ANSWER = { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] };

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
      res.status(status).json(bodyRefusal(err.type));
      return;
    }
    log.error({ err }, 'request failed');
    res.status(500).json(INTERNAL_ERROR_ANSWER);
  };
}
