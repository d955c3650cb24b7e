import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getIntrospectionQuery } from 'graphql';
import { DeepPartial, GatewayLimits, loadConfig, mergeConfig } from '@shop/platform';
import { RunningGateway, startGateway } from '@shop/gateway';
import { startStack, Stack } from '../support/stack';
import { codes, gql } from '../support/graphql-client';
import { TestUser, registerUser, userWithRole } from '../support/users';

/** Introspection, the IDE and the safelist as production runs them, on gateways in front of one accounts subgraph. */
let stack: Stack;
let customer: TestUser;
let admin: TestUser;
const gateways: RunningGateway[] = [];
/** What production gets when nothing is set. */
const PRODUCTION = loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'a-production-secret-of-enough-length-0123456789' }).gatewayLimits;

beforeAll(async () => {
  stack = await startStack(['accounts']);
  customer = await registerUser(stack);
  admin = await userWithRole(stack, 'ADMIN');
});
afterAll(async () => {
  await Promise.all(gateways.map((g) => g.stop()));
  await stack?.stop();
});

async function gateway(limits: DeepPartial<GatewayLimits>): Promise<string> {
  const running = await startGateway(mergeConfig(stack.config, { gatewayLimits: { ...PRODUCTION, ...limits } }), { port: 0, host: '127.0.0.1' });
  gateways.push(running);
  return running.url;
}

const INTROSPECTION = getIntrospectionQuery();
const ideVisit = (url: string) => fetch(url, { headers: { accept: 'text/html' } });

describe('introspection and the IDE in production', () => {
  it('are off by default: introspection is refused with a clear error, the rest runs, the IDE page is not served', async () => {
    expect(PRODUCTION).toEqual(expect.objectContaining({ introspection: 'off', ide: false }));
    const url = await gateway({});
    for (const query of [INTROSPECTION, '{ __type(name: "User") { name } }', '{ me { id } __schema { types { name } } }']) {
      const res = await gql(url, query, {}, admin.token);
      expect(res.status).toBe(403);
      expect(codes(res)).toEqual(['INTROSPECTION_DISABLED']);
      expect(res.errors![0].message).toBe('Introspection is disabled on this gateway');
      expect(res.data).toBeUndefined();
    }
    const me = await gql(url, '{ __typename me { id } }', {}, customer.token);
    expect(me.data).toEqual({ __typename: 'Query', me: { id: customer.id } });
    // Error messages do not spell the schema out instead.
    const typo = await gql(url, '{ mee { id } }');
    expect(typo.errors![0].message).not.toMatch(/Did you mean/);
    const page = await ideVisit(url);
    expect(page.headers.get('content-type')).not.toMatch(/text\/html/);
  });

  it('are served when enabled', async () => {
    const url = await gateway({ introspection: 'on', ide: true });
    const res = await gql(url, INTROSPECTION);
    expect(res.errors).toBeUndefined();
    expect(res.data.__schema.types.length).toBeGreaterThan(10);
    const page = await ideVisit(url);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('Shop GraphQL');
  });

  it('admin mode lets only ADMIN tokens introspect', async () => {
    const url = await gateway({ introspection: 'admin', ide: true });
    for (const token of [null, customer.token, 'not-a-token']) {
      const res = await gql(url, INTROSPECTION, {}, token);
      expect(codes(res)).toEqual(['INTROSPECTION_DISABLED']);
      expect(res.errors![0].message).toMatch(/reserved to ADMIN/);
    }
    const res = await gql(url, INTROSPECTION, {}, admin.token);
    expect(res.errors).toBeUndefined();
    expect(res.data.__schema.queryType.name).toBe('Query');
  });
});

describe('safelist mode', () => {
  const ME = 'query Me { me { id email } }';
  const PRODUCTS_HASH_ONLY = 'query Viewer { me { id } }';
  const sha = (s: string) => createHash('sha256').update(s).digest('hex');
  const post = (url: string, body: object, token?: string) => fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
  let url: string;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'safelist-'));
    const manifest = join(dir, 'operations.json');
    writeFileSync(manifest, JSON.stringify({ [sha(ME)]: ME, [sha(PRODUCTS_HASH_ONLY)]: PRODUCTS_HASH_ONLY }));
    url = await gateway({ safelistPath: manifest, introspection: 'admin' });
  });

  it('runs registered operations, by text or by hash alone', async () => {
    const byText = await post(url, { query: ME }, customer.token);
    expect(byText.body).toEqual({ data: { me: { id: customer.id, email: customer.email } } });
    const byHash = await post(url, { extensions: { persistedQuery: { version: 1, sha256Hash: sha(PRODUCTS_HASH_ONLY) } } }, customer.token);
    expect(byHash.body).toEqual({ data: { me: { id: customer.id } } });
  });

  it('refuses any other document, also sent with its hash, and never learns it', async () => {
    const other = '{ me { id } }';
    const refused = await post(url, { query: other }, customer.token);
    expect(refused.status).toBe(400);
    expect(refused.body.errors.map((e: any) => e.extensions.code)).toEqual(['PERSISTED_QUERY_NOT_ALLOWED']);
    expect(refused.body.data).toBeUndefined();
    const extensions = { persistedQuery: { version: 1, sha256Hash: sha(other) } };
    const register = await post(url, { query: other, extensions }, customer.token);
    expect(register.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');
    const byHash = await post(url, { extensions }, customer.token);
    expect(byHash.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('lets ADMIN callers run any document (the IDE), introspection included', async () => {
    const res = await post(url, { query: '{ me { id } __schema { queryType { name } } }' }, admin.token);
    expect(res.body).toEqual({ data: { me: { id: admin.id }, __schema: { queryType: { name: 'Query' } } } });
  });

  it('refuses to start on a manifest whose hash is not its document', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'safelist-'));
    const manifest = join(dir, 'bad.json');
    writeFileSync(manifest, JSON.stringify({ [sha('{ me { id } }')]: '{ me { email } }' }));
    await expect(gateway({ safelistPath: manifest })).rejects.toThrow(/not the sha256 of its document/);
  });
});
