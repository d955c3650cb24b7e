import http from 'node:http';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { Logger, observeHttp, writeGraphQLAnswer } from '@shop/platform';
import { GatewayContext } from './data-source';
import { answerEncoding, encode } from './answer-encoding';

/** What Express's JSON parser accepts at most (`express.json({ limit: '1mb' })`). */
const BODY_LIMIT = 1024 * 1024;

export interface GraphQLPostOptions {
  apollo: ApolloServer<GatewayContext>;
  context(req: http.IncomingMessage): GatewayContext;
  /** While draining, every answer closes its connection (as `closeConnectionsWhileDraining`). */
  draining(): boolean;
  log: Logger;
}

/** Whether a Content-Type is the one Express's JSON parser reads without conversion. */
function plainJson(type: string | undefined): boolean {
  if (!type) return false;
  const t = type.toLowerCase();
  return t === 'application/json' || t === 'application/json; charset=utf-8' || t === 'application/json;charset=utf-8';
}

/** The first character that is not JSON whitespace (space, tab, line feed, carriage return). */
function firstCharacter(text: string): string | undefined {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return text[i];
  }
  return undefined;
}

/** Whether a client accepts a compressed answer (an incremental one, @defer's multipart answer, then goes through Express). */
function compressible(acceptEncoding: string | undefined): boolean {
  return acceptEncoding !== undefined && acceptEncoding !== '' && acceptEncoding !== 'identity';
}

function answerJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(text));
  res.end(text);
}

/**
 * The common GraphQL request, a POST to /graphql of a JSON body of known
 * length, handed to Apollo
 * Server's `executeHTTPGraphQLRequest` straight from node:http: the same
 * pipeline as through Express (request id and server span, context, the
 * same answers to a body that is not JSON), without the router, body
 * parser, compression wrapper and ETag of every answer; a large answer is
 * compressed as the compression middleware would (`answer-encoding.ts`).
 * Answers true when it took the request; anything else (other paths and
 * methods, compressed or chunked bodies, other charsets, incremental
 * answers to clients accepting compression) goes on through Express.
 */
export function graphqlPostHandler(options: GraphQLPostOptions): (req: http.IncomingMessage, res: http.ServerResponse) => boolean {
  const { apollo, log } = options;
  const observe = observeHttp('gateway') as unknown as (req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => void;

  const execute = async (req: http.IncomingMessage, res: http.ServerResponse, body: unknown, search: string) => {
    try {
      const headers = new HeaderMap();
      for (const name in req.headers) {
        const value = req.headers[name];
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
      }
      const answer = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: 'POST', headers, search, body },
        context: async () => options.context(req),
      });
      let vary = false;
      for (const [name, value] of answer.headers) {
        // As the compression middleware in front of Express: the answer depends on Accept-Encoding.
        if (name === 'vary') { res.setHeader(name, `${value}, Accept-Encoding`); vary = true; } else res.setHeader(name, value);
      }
      if (!vary) res.setHeader('vary', 'Accept-Encoding');
      const encoding = answer.body.kind === 'complete' ? answerEncoding(req, res, answer.body.string) : null;
      if (encoding && answer.body.kind === 'complete') {
        const encoded = await encode(answer.body.string, encoding);
        res.statusCode = answer.status || 200;
        res.setHeader('content-encoding', encoding);
        res.setHeader('content-length', encoded.length);
        res.end(encoded);
        return;
      }
      await writeGraphQLAnswer(res, answer);
    } catch (err) {
      log.error({ err }, 'request failed');
      if (res.headersSent) res.destroy();
      else answerJson(res, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
    }
  };

  return (req, res) => {
    const url = req.url ?? '';
    if (req.method !== 'POST' || (url !== '/graphql' && !url.startsWith('/graphql?'))) return false;
    const { headers } = req;
    const length = Number(headers['content-length']);
    if (!plainJson(headers['content-type']) || !(length >= 0 && length <= BODY_LIMIT) || headers['transfer-encoding'] !== undefined
      || (headers['content-encoding'] !== undefined && headers['content-encoding'] !== 'identity')
      || (compressible(headers['accept-encoding']) && headers.accept?.includes('multipart/mixed'))) {
      return false;
    }
    if (options.draining()) res.setHeader('Connection', 'close');
    const search = url.length > 8 ? url.slice(8) : '';
    const chunks: Buffer[] = [];
    let received = 0;
    req.on('data', (chunk: Buffer) => { chunks.push(chunk); received += chunk.length; });
    req.once('error', () => res.destroy());
    req.once('end', () => {
      if (received !== length) { res.destroy(); return; }
      let text = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received)).toString('utf8');
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      // Express's parser (strict): an object or an array, else the same 400 as its refusal; an empty body is an empty object.
      let body: unknown = {};
      if (text.length > 0) {
        try {
          const first = firstCharacter(text);
          if (first !== '{' && first !== '[') throw new SyntaxError('not an object or an array');
          body = JSON.parse(text);
        } catch {
          answerJson(res, 400, { errors: [{ message: 'The request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
          return;
        }
      }
      observe(req, res, () => { void execute(req, res, body, search); });
    });
    return true;
  };
}
