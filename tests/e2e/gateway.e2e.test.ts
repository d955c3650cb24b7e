import http from 'node:http';
import { AddressInfo } from 'node:net';
import { startGateway } from '@shop/gateway';
import { startStack, Stack } from '../support/stack';
import { codes, gql } from '../support/graphql-client';
import { registerUser } from '../support/users';

let stack: Stack;
let origin: string;
beforeAll(async () => {
  stack = await startStack(['accounts']);
  origin = new URL(stack.gatewayUrl).origin;
});
afterAll(async () => { await stack?.stop(); });

/** Sends a raw request to the gateway's /graphql and reads the answer as text. */
async function send(init: RequestInit, query = ''): Promise<{ status: number; type: string; text: string }> {
  const res = await fetch(`${stack.gatewayUrl}${query}`, init);
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

const json = { 'content-type': 'application/json' };

/** A client error: a 4xx JSON GraphQL answer that names no stack frame, file or internal address. */
function expectCleanClientError(res: { status: number; type: string; text: string }, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.type).toMatch(/^application\/json/);
  for (const leak of ['at /', 'node_modules', '127.0.0.1', 'Error:']) expect(res.text).not.toContain(leak);
  const body = JSON.parse(res.text);
  expect(body.errors[0]).toEqual(expect.objectContaining({ message: expect.any(String), extensions: { code } }));
}

describe('gateway health endpoints', () => {
  it('answers /health with ok', async () => {
    const res = await fetch(`${origin}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('serves Prometheus metrics on /metrics', async () => {
    const res = await fetch(`${origin}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/^# HELP process_cpu_user_seconds_total /m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes \d+/m);
  });
});

describe('gateway to subgraph traffic', () => {
  it("forwards the caller's Authorization and reuses keep-alive connections to the subgraph", async () => {
    const user = await registerUser(stack);
    const server = stack.subgraphs.accounts!.server;
    let connections = 0;
    let requests = 0;
    const onConnection = () => { connections += 1; };
    const onRequest = () => { requests += 1; };
    server.on('connection', onConnection);
    server.on('request', onRequest);
    try {
      for (let i = 0; i < 30; i++) {
        const res = await stack.gql('{ me { id } }', {}, user.token);
        expect(res.data.me).toEqual({ id: user.id });
      }
    } finally {
      server.off('connection', onConnection);
      server.off('request', onRequest);
    }
    expect(requests).toBeGreaterThanOrEqual(30);
    expect(connections).toBeLessThanOrEqual(2);
  });

  it("drops a failed subgraph fetch's URL, status and body from the error it returns", async () => {
    // A subgraph behind a proxy that refuses with 401 and a body naming internals.
    const proxy = http.createServer((_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'denied by proxy at 127.0.0.1', upstream: 'http://127.0.0.1:9/graphql' }));
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/graphql`;
    const gateway = await startGateway({ ...stack.config, subgraphUrls: { ...stack.config.subgraphUrls, accounts: url } }, { port: 0, host: '127.0.0.1' });
    try {
      const res = await gql(gateway.url, '{ me { id } }');
      expect(codes(res)).toEqual(['UNAUTHENTICATED']);
      expect(res.errors![0].extensions).toEqual({ code: 'UNAUTHENTICATED' });
      expect(JSON.stringify(res)).not.toContain('127.0.0.1');
    } finally {
      await gateway.stop();
      proxy.close();
    }
  });
});

describe('gateway refusals of bad requests', () => {
  it('answers malformed JSON with 400, never an HTML stack trace', async () => {
    expectCleanClientError(await send({ method: 'POST', headers: json, body: '{"query": "{ __typename }"' }), 400, 'BAD_REQUEST');
  });

  it('answers an empty body with 400', async () => {
    expectCleanClientError(await send({ method: 'POST', headers: json, body: '' }), 400, 'BAD_REQUEST');
  });

  it('answers an unknown operation name, or several operations and no name, with 400', async () => {
    const unknown = await send({ method: 'POST', headers: json, body: JSON.stringify({ query: 'query A { __typename }', operationName: 'B' }) });
    expectCleanClientError(unknown, 400, 'OPERATION_RESOLUTION_FAILURE');
    expect(JSON.parse(unknown.text).errors[0].message).toBe('Unknown operation named "B"');
    const unnamed = await send({ method: 'POST', headers: json, body: JSON.stringify({ query: 'query A { __typename } query B { __typename }' }) });
    expectCleanClientError(unnamed, 400, 'OPERATION_RESOLUTION_FAILURE');
  });

  it('answers a 2 MB body with 413', async () => {
    const body = JSON.stringify({ query: '{ __typename }', variables: { padding: 'x'.repeat(2 * 1024 * 1024) } });
    expectCleanClientError(await send({ method: 'POST', headers: json, body }), 413, 'BAD_REQUEST');
  });

  it('refuses a mutation over GET', async () => {
    const query = `?query=${encodeURIComponent('mutation { logout(refreshToken: "x") }')}`;
    const res = await send({ method: 'GET', headers: { 'apollo-require-preflight': 'true' } }, query);
    expectCleanClientError(res, 405, 'BAD_REQUEST');
  });

  it('refuses a subscription over HTTP, pointing to WebSocket', async () => {
    const res = await send({ method: 'POST', headers: json, body: JSON.stringify({ query: 'subscription { stockChanged { id } }' }) });
    expectCleanClientError(res, 400, 'BAD_REQUEST');
    expect(JSON.parse(res.text).errors[0].message).toMatch(/WebSocket/);
  });

  it('names no subgraph in errors the subgraph raised, and keeps serving', async () => {
    const res = await stack.gql('{ me { id } }', {}, 'not-a-token');
    expect(res.errors![0].extensions).toEqual({ code: 'UNAUTHENTICATED' });
    expect((await fetch(`${origin}/health`)).status).toBe(200);
  });
});

describe('gateway introspection', () => {
  it('stays on under NODE_ENV=production, since the admin IDE needs it', async () => {
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    const gateway = await startGateway(stack.config, { port: 0, host: '127.0.0.1' }).finally(() => { process.env.NODE_ENV = previous; });
    try {
      const res = await gql(gateway.url, '{ __schema { queryType { name } } }');
      expect(res.errors).toBeUndefined();
      expect(res.data.__schema.queryType.name).toBe('Query');
    } finally {
      await gateway.stop();
    }
  });
});
