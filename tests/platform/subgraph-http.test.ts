import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { parse } from 'graphql';
import {
  GATEWAY_SECRET_HEADER, GATEWAY_SECRET_REFUSAL, RunningSubgraph, SubgraphContext, SubgraphDefinition, SubgraphName,
  currentRequestId, databaseName, dropDatabase, mergeConfig, startSubgraph,
} from '@shop/platform';
import { testConfig } from '../support/stack';
import { mintAccessToken, trustStackKey } from '../support/tokens';

/** A subgraph with no tables that says what its context and request scope hold. */
const edge: SubgraphDefinition = {
  name: 'fx_edge',
  typeDefs: parse('type Query { scope(tag: String): Scope! } type Scope { userId: ID clientIp: String requestId: String tag: String }'),
  resolvers: [{
    Query: {
      scope: (_root: unknown, { tag }: { tag?: string }, ctx: SubgraphContext) => ({
        userId: ctx.identity.viewer?.userId ?? null, clientIp: ctx.clientIp ?? null, requestId: currentRequestId() ?? null, tag: tag ?? null,
      }),
    },
  }],
  entities: [],
  migrations: [],
  createLoaders: () => ({}),
};

const SECRET = 'edge-test-secret-0123456789';
const SCOPE = '{ scope { userId clientIp requestId } }';
const config = mergeConfig(testConfig(), { subgraphSharedSecret: SECRET });
let subgraph: RunningSubgraph;

beforeAll(async () => {
  await trustStackKey(config);
  subgraph = await startSubgraph(edge, config, { port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await subgraph?.stop();
  await dropDatabase(config, databaseName(config, edge.name as SubgraphName));
});

interface Answer { status: number; headers: http.IncomingHttpHeaders; text: string; json(): any }

/** One request over node:http (every header of the answer visible, Connection included). */
function send(body: string | Buffer, headers: Record<string, string> = {}, path = '/graphql', method = 'POST'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: subgraph.port, path, method, headers: {
      'content-type': 'application/json', [GATEWAY_SECRET_HEADER]: SECRET, ...headers,
    } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode!, headers: res.headers, text, json: () => JSON.parse(text) });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const query = (q: string, variables?: Record<string, unknown>) => JSON.stringify({ query: q, variables });

describe('a subgraph answering POST /graphql', () => {
  it('refuses a caller without the shared secret with 403 and the GraphQL error saying why, whatever the body', async () => {
    const refused: Record<string, string>[] = [{ [GATEWAY_SECRET_HEADER]: 'wrong' }, { [GATEWAY_SECRET_HEADER]: 'wrong', 'content-type': 'text/plain' }];
    for (const headers of refused) {
      const res = await send(query(SCOPE), headers);
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.json()).toEqual({ errors: [{ message: GATEWAY_SECRET_REFUSAL, extensions: { code: 'FORBIDDEN' } }] });
    }
  });

  it('serves the caller: its identity, the client address the gateway names, and the request id it sent, echoed', async () => {
    const userId = '6f9c1f4e-8a43-4b6c-9f55-2d1b7c3e0a11';
    const token = await mintAccessToken(config, { userId, role: 'CUSTOMER' });
    const res = await send(query(SCOPE), { authorization: `Bearer ${token}`, 'x-shop-client-ip': '203.0.113.9', 'x-request-id': 'edge-req-1' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['x-request-id']).toBe('edge-req-1');
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
    expect(res.json()).toEqual({ data: { scope: { userId, clientIp: '203.0.113.9', requestId: 'edge-req-1' } } });
  });

  it('makes a request id when none comes, and serves the socket address when the gateway names none', async () => {
    const res = await send(query(SCOPE));
    const { scope } = res.json().data;
    expect(scope.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers['x-request-id']).toBe(scope.requestId);
    expect(scope.clientIp).toBe('127.0.0.1');
    expect(scope.userId).toBeNull();
  });

  it('answers malformed JSON, and JSON that is not an object, with 400 BAD_REQUEST, never a stack trace', async () => {
    for (const body of ['{"query": "{ scope { tag } }"', '"{ scope { tag } }"', '42', 'query { scope { tag } }']) {
      const res = await send(body);
      expect(res.status).toBe(400);
      expect(res.json()).toEqual({ errors: [{ message: 'The request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
    }
  });

  it('answers a body over 1 MB with 413, and keeps serving', async () => {
    const res = await send(query('query($p: String) { scope(tag: $p) { tag } }', { p: 'x'.repeat(1024 * 1024) }));
    expect(res.status).toBe(413);
    expect(res.json()).toEqual({ errors: [{ message: 'The request body is too large', extensions: { code: 'BAD_REQUEST' } }] });
    const near = 'y'.repeat(1000 * 1000);
    expect((await send(query('query($p: String) { scope(tag: $p) { tag } }', { p: near }))).json()).toEqual({ data: { scope: { tag: near } } });
  });

  it('answers an empty body, and an unknown field, as GraphQL errors with their codes', async () => {
    const empty = await send('');
    expect(empty.status).toBe(400);
    expect(empty.json().errors[0].extensions.code).toBe('BAD_REQUEST');
    const unknown = await send(query('{ nothing }'));
    expect(unknown.status).toBe(400);
    expect(unknown.json().errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('reads a gzip body and a body in chunks as well', async () => {
    const gzipped = await send(gzipSync(query('{ scope { tag } }')), { 'content-encoding': 'gzip' });
    expect(gzipped.json()).toEqual({ data: { scope: { tag: null } } });
    const chunked = await new Promise<any>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: subgraph.port, path: '/graphql', method: 'POST', headers: {
        'content-type': 'application/json', [GATEWAY_SECRET_HEADER]: SECRET, 'transfer-encoding': 'chunked',
      } }, (res) => { let text = ''; res.on('data', (c) => { text += c; }); res.on('end', () => resolve(JSON.parse(text))); });
      req.on('error', reject);
      const body = query('{ scope(tag: "in chunks") { tag } }');
      req.write(body.slice(0, 10));
      req.end(body.slice(10));
    });
    expect(chunked).toEqual({ data: { scope: { tag: 'in chunks' } } });
  });

  it('refuses text no database could store, naming the argument', async () => {
    const res = await send(query('query($t: String) { scope(tag: $t) { tag } }', { t: 'nul\u0000here' }));
    expect(res.status).toBe(400);
    expect(res.json().errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'tag' });
  });

  it('closes each connection after its answer once draining, while still serving', async () => {
    expect((await send(query('{ scope { tag } }'))).headers.connection).toBe('keep-alive');
    subgraph.markDraining();
    const res = await send(query('{ scope { tag } }'));
    expect(res.status).toBe(200);
    expect(res.headers.connection).toBe('close');
  });
});
