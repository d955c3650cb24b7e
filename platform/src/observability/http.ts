import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestHandler } from 'express';
import { SpanKind, context, trace } from '@opentelemetry/api';
import { REQUEST_ID_HEADER, requestIdFrom, withRequestId } from './request-context';
import { SERVICE_ATTRIBUTE, extractTraceContext } from './tracing';

/**
 * Runs `handle` as one GraphQL request over HTTP: with its request id (the
 * caller's `x-request-id` when usable, else a new one, echoed in the
 * response) and inside its server span, a child of the caller's
 * `traceparent`, ended with the response's status. Everything the request
 * then does (logs, subgraph calls, events recorded) runs inside both.
 * Called once the body is read: stream callbacks would lose the context.
 */
export function inHttpRequest<T>(service: string, req: IncomingMessage, res: ServerResponse, handle: () => T): T {
  const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
  res.setHeader(REQUEST_ID_HEADER, requestId);
  const parent = extractTraceContext(req.headers);
  const span = trace.getTracer(service).startSpan('graphql', {
    kind: SpanKind.SERVER, attributes: { [SERVICE_ATTRIBUTE]: service, 'shop.request_id': requestId },
  }, parent);
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    span.setAttribute('http.response.status_code', res.statusCode);
    span.end();
  };
  res.once('finish', end);
  res.once('close', end);
  return withRequestId(requestId, () => context.with(trace.setSpan(parent, span), handle));
}

/** `inHttpRequest` as Express middleware, mounted after the body parser. */
export function observeHttp(service: string): RequestHandler {
  return (req, res, next) => inHttpRequest(service, req, res, next);
}
