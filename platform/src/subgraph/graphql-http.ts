import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApolloServer, HeaderMap, HTTPGraphQLRequest } from '@apollo/server';
import { Logger } from '../logger';
import { INTERNAL_ERROR_ANSWER, bodyRefusal } from '../graphql/request-errors';
import { inHttpRequest } from '../observability/http';
import { writeGraphQLAnswer } from '../graphql/http-answer';

/** The largest request body a subgraph reads (the gateway's own limit too). */
export const BODY_LIMIT_BYTES = 1024 * 1024;

const JSON_TYPE = /^application\/json\s*(?:;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;
const FIRST_JSON_CHAR = /^[\x20\x09\x0a\x0d]*(.)/s;

/**
 * Whether `handleGraphQLPost` serves this request: a POST to /graphql with an
 * uncompressed UTF-8 JSON body, which is what the gateway and subgraph
 * clients send. Every other request (other content types, encodings or
 * charsets, GET) goes through Express's body parser and Apollo's Express
 * integration, which answer them as they always have.
 */
export function isPlainGraphQLPost(req: IncomingMessage): boolean {
  if (req.method !== 'POST') return false;
  const url = req.url ?? '';
  if (url !== '/graphql' && !url.startsWith('/graphql?')) return false;
  const { headers } = req;
  const type = headers['content-type'];
  if (type === undefined || !JSON_TYPE.test(type)) return false;
  const encoding = headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return false;
  // A request with no body at all (neither length nor chunks) is left to Express, which tells Apollo there is none.
  return headers['transfer-encoding'] !== undefined || headers['content-length'] !== undefined;
}

type BodyRead = { ok: true; body: unknown } | { ok: false; status: number; type: string };

/**
 * Reads and parses a JSON body as Express's JSON parser does (strict: an
 * object or array; at most `BODY_LIMIT_BYTES`, else 413 once the rest has
 * been read off, so the connection stays usable; an empty body is `{}`).
 */
function readJsonBody(req: IncomingMessage): Promise<BodyRead> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length']);
    let tooLarge = declared > BODY_LIMIT_BYTES;
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > BODY_LIMIT_BYTES) { tooLarge = true; chunks.length = 0; return; }
      chunks.push(chunk);
    });
    req.once('error', () => resolve({ ok: false, status: 400, type: 'request.aborted' }));
    req.once('end', () => {
      if (tooLarge) { resolve({ ok: false, status: 413, type: 'entity.too.large' }); return; }
      let text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, size).toString('utf8');
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      if (text.length === 0) { resolve({ ok: true, body: {} }); return; }
      const first = FIRST_JSON_CHAR.exec(text)?.[1];
      if (first !== '{' && first !== '[') { resolve({ ok: false, status: 400, type: 'entity.parse.failed' }); return; }
      try {
        resolve({ ok: true, body: JSON.parse(text) });
      } catch {
        resolve({ ok: false, status: 400, type: 'entity.parse.failed' });
      }
    });
  });
}

/** Answers `body` as JSON, as Express's `res.status(status).json(body)` does. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

/** The request as Apollo Server's integration API takes it (the headers as Apollo's Express integration passes them). */
function graphQLRequestOf(req: IncomingMessage, body: unknown): HTTPGraphQLRequest {
  const headers = new HeaderMap();
  const given = req.headers;
  for (const key in given) {
    const value = given[key];
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  const url = req.url ?? '';
  const query = url.indexOf('?');
  return { method: 'POST', headers, search: query < 0 ? '' : url.slice(query), body };
}

/**
 * Serves one POST /graphql straight from node:http with Apollo Server's
 * integration API: the body read and parsed here, then the request run
 * inside its request id and server span (`inHttpRequest`), the context
 * built from the request by `contextOf`.
 */
export function graphQLPostHandler<C extends object>(options: {
  apollo: ApolloServer<C>;
  service: string;
  log: Logger;
  contextOf: (req: IncomingMessage) => Promise<C>;
}): (req: IncomingMessage, res: ServerResponse) => void {
  const { apollo, service, log, contextOf } = options;
  const fail = (res: ServerResponse, err: unknown) => {
    log.error({ err }, 'request failed');
    if (res.headersSent) res.destroy();
    else sendJson(res, 500, INTERNAL_ERROR_ANSWER);
  };
  const execute = async (req: IncomingMessage, res: ServerResponse, body: unknown) => {
    const response = await apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest: graphQLRequestOf(req, body), context: () => contextOf(req) });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    await writeGraphQLAnswer(res, response);
  };
  return (req, res) => {
    readJsonBody(req).then((read) => {
      if (!read.ok) { sendJson(res, read.status, bodyRefusal(read.type)); return; }
      inHttpRequest(service, req, res, () => execute(req, res, read.body).catch((err) => fail(res, err)));
    }, (err) => fail(res, err));
  };
}
