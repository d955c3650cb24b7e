import http from 'node:http';
import { AddressInfo } from 'node:net';
import { JWK, SignJWT, decodeProtectedHeader, exportJWK, exportSPKI, generateKeyPair, importJWK } from 'jose';
import * as platform from '@shop/platform';
import { JWKS_PATH, loadConfig, mergeConfig, startSubgraph, verifyAccessToken } from '@shop/platform';
import { accounts } from '@shop/accounts';
import { subgraphDefinitions } from '../../subgraphs';
import { Stack, startStack, testConfig } from '../support/stack';
import { gql } from '../support/graphql-client';
import { registerUser } from '../support/users';
import { eventually } from '../support/eventually';
import { generateSigningJwk, keyRingFor } from '../../subgraphs/accounts/src/keys/key-ring';
import { mintAccessToken } from '../support/tokens';

/** Access tokens: signed by accounts alone (ES256), verified by every other subgraph with the public keys of accounts' JWKS. */
const ORDERS = `{ orders(first: 1) { pageInfo { hasNextPage } } }`;
const ME = `{ me { id } }`;

let stack: Stack;
let oldKey: JWK;
const urlOf = (name: 'accounts' | 'orders') => stack.subgraphs[name]!.url;
const jwksUrl = () => new URL(JWKS_PATH, urlOf('accounts')).href;

beforeAll(async () => {
  oldKey = await generateSigningJwk();
  // A short cooldown, so the orders subgraph refetches at once after accounts rotates.
  const config = mergeConfig(testConfig(), { jwt: { privateKeys: JSON.stringify({ keys: [oldKey] }), jwksCooldownMs: 0 } });
  stack = await startStack(['accounts', 'orders'], config);
});
afterAll(() => stack?.stop());

function claims(config = stack.config) {
  return new SignJWT({ role: 'ADMIN' }).setSubject('00000000-0000-4000-8000-000000000001')
    .setIssuer(config.jwt.issuer).setAudience(config.jwt.audience).setIssuedAt().setExpirationTime('5m');
}

async function refusedAtOrders(token: string): Promise<void> {
  for (const url of [stack.gatewayUrl, urlOf('orders')]) {
    const res = await gql(url, ORDERS, {}, token);
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(res.errors?.[0]?.message).toBe('Access token invalid');
  }
}

describe('signing keys', () => {
  it('publishes the public keys only, and tokens name the key that signed them', async () => {
    const res = await fetch(jwksUrl());
    expect(res.status).toBe(200);
    const jwks = await res.json() as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toEqual([expect.objectContaining({ kid: oldKey.kid, kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' })]);
    expect(jwks.keys[0]).not.toHaveProperty('d');
    const user = await registerUser(stack);
    expect(decodeProtectedHeader(user.token)).toMatchObject({ alg: 'ES256', kid: oldKey.kid });
    expect((await gql(stack.gatewayUrl, ORDERS, {}, user.token)).errors).toBeUndefined();
    expect((await gql(urlOf('orders'), ORDERS, {}, user.token)).errors).toBeUndefined();
  });

  it('refuses a token signed by another key, even one claiming the real kid', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    await refusedAtOrders(await claims().setProtectedHeader({ alg: 'ES256', kid: oldKey.kid }).sign(privateKey));
    await refusedAtOrders(await claims().setProtectedHeader({ alg: 'ES256', kid: 'someone-else' }).sign(privateKey));
    await refusedAtOrders(await claims().setProtectedHeader({ alg: 'ES256' }).sign(privateKey));
  });

  it('refuses alg confusion: HS256 keyed with the public key, and alg none', async () => {
    const { d: _d, ...publicJwk } = oldKey;
    const publicKey = await importJWK(publicJwk, 'ES256');
    const pem = await exportSPKI(publicKey as any);
    for (const secret of [JSON.stringify(publicJwk), pem, String(publicJwk.x)]) {
      await refusedAtOrders(await claims().setProtectedHeader({ alg: 'HS256', kid: oldKey.kid }).sign(new TextEncoder().encode(secret)));
    }
    const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const body = { sub: '00000000-0000-4000-8000-000000000001', role: 'ADMIN', iss: stack.config.jwt.issuer, aud: stack.config.jwt.audience, iat: now, exp: now + 300 };
    await refusedAtOrders(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(body)}.`);
    await refusedAtOrders(`${b64({ alg: 'none', kid: oldKey.kid })}.${b64(body)}`);
  });

  it('keeps everyone signed in across a key rotation: old tokens verify, new ones carry the new kid', async () => {
    const before = await registerUser(stack);
    expect((await gql(urlOf('orders'), ORDERS, {}, before.token)).errors).toBeUndefined();

    const newKey = await generateSigningJwk();
    const port = stack.subgraphs.accounts!.port;
    await stack.subgraphs.accounts!.stop();
    const rotated = mergeConfig(stack.config, { jwt: { privateKeys: JSON.stringify({ keys: [newKey, oldKey] }) } });
    stack.subgraphs.accounts = await startSubgraph(accounts, rotated, { port, host: '127.0.0.1' });

    const jwks = await (await fetch(jwksUrl())).json() as { keys: { kid: string }[] };
    expect(jwks.keys.map((k) => k.kid)).toEqual([newKey.kid, oldKey.kid]);
    const after = await registerUser(stack);
    expect(decodeProtectedHeader(after.token).kid).toBe(newKey.kid);
    // Orders meets the new kid, refetches the JWKS, and still knows the old key.
    expect((await gql(urlOf('orders'), ORDERS, {}, after.token)).errors).toBeUndefined();
    expect((await gql(urlOf('orders'), ORDERS, {}, before.token)).errors).toBeUndefined();
    expect((await gql(stack.gatewayUrl, ME, {}, before.token)).data?.me?.id).toBe(before.id);
    expect((await gql(stack.gatewayUrl, ME, {}, after.token)).data?.me?.id).toBe(after.id);
  });

  it('copes with a subgraph that starts before accounts: UNAUTHENTICATED while no key is known, then verifies', async () => {
    const spare = http.createServer();
    await new Promise<void>((resolve) => spare.listen(0, '127.0.0.1', resolve));
    const port = (spare.address() as AddressInfo).port;
    await new Promise<void>((resolve) => spare.close(() => resolve()));
    const config = mergeConfig(stack.config, { jwt: { jwksUrl: `http://127.0.0.1:${port}${JWKS_PATH}` } });
    const token = await mintAccessToken(stack.config, { userId: '00000000-0000-4000-8000-000000000002', role: 'CUSTOMER' });
    const orders = await startSubgraph(subgraphDefinitions.orders!, config, { port: 0, host: '127.0.0.1' });
    let keys: http.Server | null = null;
    try {
      const early = await gql(orders.url, ORDERS, {}, token);
      expect(early.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      const ring = await keyRingFor(stack.config);
      keys = http.createServer((_req, res) => { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify(ring.jwks)); });
      await new Promise<void>((resolve) => keys!.listen(port, '127.0.0.1', resolve));
      await eventually(async () => !(await gql(orders.url, ORDERS, {}, token)).errors, 'orders to learn the key once it is served');
    } finally {
      await orders.stop();
      await new Promise((resolve) => (keys ? keys.close(resolve) : resolve(undefined)));
    }
  });
});

describe('who can mint', () => {
  it('the platform every subgraph loads exposes no signing function', () => {
    const names = Object.keys(platform);
    expect(names).toEqual(expect.arrayContaining(['verifyAccessToken', 'verifyGrant']));
    expect(names.filter((n) => /sign|mint|issue/i.test(n) && !/^(assign|design)|signal/i.test(n))).toEqual([]);
  });

  it('a subgraph other than accounts holds no key material and so cannot mint', async () => {
    const catalog = loadConfig({ NODE_ENV: 'production', SUBGRAPH_SHARED_SECRET: 's' });
    expect(catalog.jwt.privateKeys).toBeNull();
    expect(catalog.jwt.privateKeysFile).toBeNull();
    expect(catalog).not.toHaveProperty('jwt.secret');
    // A token made by whoever lacks accounts' key (such as with the old shared-secret scheme) verifies nowhere.
    const forged = await claims().setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('dev-only-secret-change-me-in-production-0123456789'));
    expect(await verifyAccessToken(forged, stack.config)).toEqual({ error: 'invalid' });
  });

  it('accounts refuses to start in production without a configured private key', async () => {
    const production = mergeConfig(testConfig(), { env: 'production', subgraphSharedSecret: 's', jwt: { privateKeys: null } });
    await expect(accounts.openResources!({ config: production, log: platform.createLogger('test', 'silent') }))
      .rejects.toThrow(/JWT_PRIVATE_KEYS .*must be set in production/);
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const configured = mergeConfig(production, { jwt: { privateKeys: JSON.stringify({ keys: [await exportJWK(privateKey)] }) } });
    await expect(accounts.openResources!({ config: configured, log: platform.createLogger('test', 'silent') })).resolves.toBeDefined();
  });
});
