import { createHash } from 'node:crypto';
import { Client } from 'graphql-ws';
import { getIntrospectionQuery } from 'graphql';
import { startStack, Stack } from '../support/stack';
import { codes } from '../support/graphql-client';
import { wsClient } from '../support/ws-client';

/** Query depth, alias and cost limits at the gateway, over HTTP and graphql-ws, and automatic persisted queries. */
let stack: Stack;
const clients: Client[] = [];
beforeAll(async () => { stack = await startStack(['accounts', 'catalog']); });
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await stack?.stop();
});

/** Runs `fn` and counts the HTTP requests catalog received meanwhile. */
async function catalogRequestsDuring<T>(fn: () => Promise<T>): Promise<{ result: T; requests: number; ms: number }> {
  const server = stack.subgraphs.catalog!.server;
  let requests = 0;
  const onRequest = () => { requests += 1; };
  server.on('request', onRequest);
  const started = Date.now();
  try {
    const result = await fn();
    return { result, requests, ms: Date.now() - started };
  } finally {
    server.off('request', onRequest);
  }
}

const deep = (levels: number) => `{ categories { ${'parent { '.repeat(levels)}name${' }'.repeat(levels)} } }`;

describe('query limits over HTTP', () => {
  it('refuses 200 aliases of products(first: 100) before anything runs', async () => {
    const query = `{ ${Array.from({ length: 200 }, (_, i) => `p${i}: products(first: 100) { edges { node { name price { amount } } } }`).join(' ')} }`;
    const { result: res, requests, ms } = await catalogRequestsDuring(() => stack.gql(query));
    expect(res.status).toBe(400);
    expect(codes(res)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(res.errors![0].message).toMatch(/Aliases limit of 30 exceeded, found 2\d\d/);
    expect(res.errors![0].extensions).toEqual(expect.objectContaining({ limit: 'aliases', max: 30 }));
    expect(requests).toBe(0);
    expect(ms).toBeLessThan(1500);
  });

  it('refuses a 25-deep query and runs a 10-deep one', async () => {
    const refused = await stack.gql(deep(24));
    expect(refused.status).toBe(400);
    expect(codes(refused)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(refused.errors![0].message).toMatch(/depth limit of 15 exceeded, found 26/);
    const served = await stack.gql(deep(8));
    expect(served.errors).toBeUndefined();
    expect(Array.isArray(served.data.categories)).toBe(true);
  });

  it('counts page sizes: nested pages of 100 are refused, with literals or variables; one page of 100 runs', async () => {
    const nested = `query($n: Int) { products(first: $n) { edges { node { name reviews(first: $n) { edges { node { rating } } } } } } }`;
    const { result: big, requests } = await catalogRequestsDuring(() => stack.gql(nested, { n: 100 }));
    expect(codes(big)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(big.errors![0].message).toMatch(/cost limit of 10000 exceeded, found 20301/);
    expect(requests).toBe(0);
    const literal = await stack.gql(nested.replace('query($n: Int)', '').replace(/\$n/g, '100'));
    expect(codes(literal)).toEqual(['QUERY_TOO_COMPLEX']);
    // The default page size (20) counts when first is omitted: 20 × 20 review pages is still well inside.
    const defaults = await stack.gql(nested.replace('query($n: Int)', '').replace(/\(first: \$n\)/g, ''));
    expect(codes(defaults)).not.toContain('QUERY_TOO_COMPLEX');
    const page = await stack.gql('{ products(first: 100) { edges { node { name category { name } price { amount currency } } } } }');
    expect(page.errors).toBeUndefined();
  });

  it('lets the IDE introspection query through', async () => {
    const res = await stack.gql(getIntrospectionQuery());
    expect(res.errors).toBeUndefined();
    expect(res.data.__schema.queryType.name).toBe('Query');
  });

  it('refuses a document of more tokens than the limit when parsing it', async () => {
    const res = await stack.gql(`{ ${'__typename '.repeat(6000)} }`);
    expect(res.status).toBe(400);
    expect(codes(res)).toEqual(['GRAPHQL_PARSE_FAILED']);
    expect(res.errors![0].message).toMatch(/5000 tokens/);
  });
});

/** The errors graphql-ws answers an operation with, or [] when it got a result. */
function wsErrors(query: string): Promise<{ message: string; extensions?: Record<string, unknown> }[]> {
  const client = wsClient(stack.gatewayUrl);
  clients.push(client);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no answer over graphql-ws')), 10_000);
    const stop = client.subscribe({ query }, {
      next: (result) => { clearTimeout(timer); stop(); resolve((result.errors ?? []) as any); },
      error: (errors) => { clearTimeout(timer); resolve(Array.isArray(errors) ? errors : [errors as any]); },
      complete: () => undefined,
    });
  });
}

describe('query limits over graphql-ws', () => {
  it('refuses a too deep subscription and too many aliases before subscribing', async () => {
    const tooDeep = await wsErrors(`subscription { stockChanged { category { ${'parent { '.repeat(20)}name${' }'.repeat(20)} } } }`);
    expect(tooDeep.map((e) => e.extensions?.code)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(tooDeep[0].message).toMatch(/depth limit of 15/);
    const aliases = await wsErrors(`subscription { stockChanged { ${Array.from({ length: 40 }, (_, i) => `n${i}: name`).join(' ')} } }`);
    expect(aliases.map((e) => e.extensions?.code)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(stack.gateway.subscriptions.stats().upstreamOperations).toBe(0);
  });

  it('refuses queries sent over the socket by the same limits', async () => {
    const errors = await wsErrors(deep(24));
    expect(errors.map((e) => e.extensions?.code)).toEqual(['QUERY_TOO_COMPLEX']);
  });
});

describe('automatic persisted queries', () => {
  const query = `query ApqProducts { products(first: 2) { edges { node { name } } } }`;
  const hash = createHash('sha256').update(query).digest('hex');
  const persisted = { persistedQuery: { version: 1, sha256Hash: hash } };
  const post = (body: object) => fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    .then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

  it('asks for an unknown hash, registers it with its document, then runs it by hash over POST and GET', async () => {
    const unknown = await post({ extensions: persisted });
    expect(unknown.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const registered = await post({ query, extensions: persisted });
    expect(registered.body.errors).toBeUndefined();
    expect(registered.body.data.products.edges).toBeDefined();

    const byHash = await post({ extensions: persisted });
    expect(byHash.body).toEqual(registered.body);
    const params = new URLSearchParams({ operationName: 'ApqProducts', extensions: JSON.stringify(persisted) });
    const res = await fetch(`${stack.gatewayUrl}?${params}`, { headers: { accept: 'application/json', 'apollo-require-preflight': 'true' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(registered.body);
  });
});
