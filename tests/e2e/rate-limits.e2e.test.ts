import { Writable } from 'node:stream';
import pino from 'pino';
import { PlatformConfig, RunningSubgraph, loadConfig, mergeConfig, startSubgraph } from '@shop/platform';
import { RunningGateway, startGateway } from '@shop/gateway';
import { createAccounts, passwordVerifications } from '@shop/accounts';
import { startStack, Stack, testConfig } from '../support/stack';
import { GqlResponse, codes } from '../support/graphql-client';
import { registerUser } from '../support/users';

jest.setTimeout(180_000);

/**
 * Sign-in rate limits on their production budgets (10 logins a minute per
 * account, 60 per address, 10 registrations and 120 refreshes per address),
 * counted in Redis by accounts. The gateway trusts one proxy hop here, so
 * each test plays clients of its own addresses through X-Forwarded-For.
 */
const BUDGETS = loadConfig({ NODE_ENV: 'test' }).rateLimits;
let stack: Stack;
const extra: { stop(): Promise<void> }[] = [];

beforeAll(async () => {
  const config = mergeConfig(testConfig(), { rateLimits: BUDGETS, gatewayLimits: { trustedProxyHops: 1 } });
  stack = await startStack(['accounts'], config);
});
afterAll(async () => {
  for (const part of extra.reverse()) await part.stop();
  await stack?.stop();
});

let ipCounter = 0;
/** A client address no other test uses. */
const newIp = () => `203.0.113.${(ipCounter += 1)}`;

async function call(url: string, query: string, variables: Record<string, unknown>, ip: string, headers: Record<string, string> = {}): Promise<GqlResponse> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip, ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as any;
  return { status: res.status, data: body.data, errors: body.errors };
}

const LOGIN = 'mutation($i: LoginInput!) { login(input: $i) { accessToken userErrors { code } } }';
const REGISTER = 'mutation($i: RegisterInput!) { register(input: $i) { accessToken userErrors { code } } }';
const REFRESH = 'mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken userErrors { code } } }';
const login = (url: string, email: string, password: string, ip: string) => call(url, LOGIN, { i: { email, password } }, ip);

function expectRateLimited(res: GqlResponse): void {
  expect(codes(res)).toEqual(['RATE_LIMITED']);
  expect(res.errors![0].message).toMatch(/^Too many .+: try again in \d+ s$/);
  const retryAfter = res.errors![0].extensions!.retryAfter;
  expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
  expect(res.data).toBeNull();
}

function expectWrongPassword(res: GqlResponse): void {
  expect(res.errors).toBeUndefined();
  expect(res.data.login).toEqual({ accessToken: null, userErrors: [{ code: 'INVALID_CREDENTIALS' }] });
}

/** Wrong logins for `email` (ten unless told), through the gateways given in turn, each from a new address. */
async function tenWrongLogins(urls: string[], email: string, count = 10): Promise<void> {
  for (let i = 0; i < count; i++) expectWrongPassword(await login(urls[i % urls.length], email, 'wrong-password-1', newIp()));
}

describe('login per account', () => {
  it('refuses the 11th attempt in a minute with RATE_LIMITED and retryAfter, without running argon2, even with the right password', async () => {
    const user = await registerUser(stack);
    await tenWrongLogins([stack.gatewayUrl], user.email);
    const before = passwordVerifications();
    expectRateLimited(await login(stack.gatewayUrl, user.email, 'wrong-password-1', newIp()));
    expectRateLimited(await login(stack.gatewayUrl, user.email.toUpperCase(), user.password, newIp()));
    expect(passwordVerifications()).toBe(before);
    // Another account is not affected.
    const other = await registerUser(stack);
    const res = await login(stack.gatewayUrl, other.email, other.password, newIp());
    expect(res.data.login.accessToken).toEqual(expect.any(String));
  });

  it('runs argon2 at most ten times for 40 parallel wrong logins', async () => {
    const user = await registerUser(stack);
    const ip = newIp();
    const before = passwordVerifications();
    const answers = await Promise.all(Array.from({ length: 40 }, () => login(stack.gatewayUrl, user.email, 'wrong-password-2', ip)));
    const outcome = answers.map((r) => codes(r)[0] ?? r.data?.login?.userErrors?.[0]?.code);
    expect(outcome.sort()).toEqual([...Array(10).fill('INVALID_CREDENTIALS'), ...Array(30).fill('RATE_LIMITED')]);
    expect(passwordVerifications() - before).toBe(10);
  });
});

describe('per client address', () => {
  it('refuses the 61st login from one address, whatever the accounts, and not another address', async () => {
    const ip = newIp();
    const target = `nobody.${Date.now()}@example.com`;
    for (let i = 0; i < 10; i++) expectWrongPassword(await login(stack.gatewayUrl, target, 'x-password-1', ip));
    // The account's budget is spent: these 50 cost no argon2, but each one counts for the address.
    for (let batch = 0; batch < 50; batch += 10) {
      const answers = await Promise.all(Array.from({ length: 10 }, () => login(stack.gatewayUrl, target, 'x-password-1', ip)));
      for (const res of answers) expect(res.errors![0].message).toMatch(/for this account/);
    }
    const other = `somebody.${Date.now()}@example.com`;
    const refused = await login(stack.gatewayUrl, other, 'x-password-1', ip);
    expectRateLimited(refused);
    expect(refused.errors![0].message).toMatch(/from this address/);
    expectWrongPassword(await login(stack.gatewayUrl, other, 'x-password-1', newIp()));
  });

  it('refuses the 11th registration from one address, ignoring a client-set address header', async () => {
    const ip = newIp();
    const register = (n: number, from: string) => call(stack.gatewayUrl, REGISTER, {
      i: { email: `reg${n}.${Date.now()}@example.com`, password: 'correct-horse-9', name: 'Rate Test' },
    }, from, { 'x-shop-client-ip': `198.51.100.${n}` });
    for (let n = 0; n < 10; n++) expect((await register(n, ip)).data.register.accessToken).toEqual(expect.any(String));
    expectRateLimited(await register(10, ip));
    expect((await register(11, newIp())).data.register.accessToken).toEqual(expect.any(String));
  });

  it('refuses the 121st session refresh from one address', async () => {
    const ip = newIp();
    for (let batch = 0; batch < 120; batch += 20) {
      const answers = await Promise.all(Array.from({ length: 20 }, () => call(stack.gatewayUrl, REFRESH, { t: 'not-a-refresh-token' }, ip)));
      for (const res of answers) expect(res.data.refreshSession.userErrors).toEqual([{ code: 'INVALID_REFRESH_TOKEN' }]);
    }
    expectRateLimited(await call(stack.gatewayUrl, REFRESH, { t: 'not-a-refresh-token' }, ip));
  });
});

/** A second accounts process and a gateway in front of it, on `config`. */
async function replica(config: PlatformConfig, log?: pino.Logger): Promise<{ accounts: RunningSubgraph; gateway: RunningGateway }> {
  const accounts = await startSubgraph(createAccounts(), config, { port: 0, host: '127.0.0.1', ...(log ? { log } : {}) });
  extra.push(accounts);
  const gateway = await startGateway(mergeConfig(config, { subgraphUrls: { accounts: accounts.url } }), { port: 0, host: '127.0.0.1' });
  extra.push(gateway);
  return { accounts, gateway };
}

describe('across replicas', () => {
  it('holds across two gateways and two accounts processes sharing Redis', async () => {
    const second = await replica(stack.config);
    let secondServed = 0;
    second.accounts.server.on('request', () => { secondServed += 1; });
    const user = await registerUser(stack);
    await tenWrongLogins([stack.gatewayUrl, second.gateway.url], user.email);
    expect(secondServed).toBeGreaterThanOrEqual(5);
    expectRateLimited(await login(second.gateway.url, user.email, user.password, newIp()));
    expectRateLimited(await login(stack.gatewayUrl, user.email, user.password, newIp()));
  });

  it('falls back to per-process memory, with a warning, when Redis is unreachable', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'warn' }, new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } }));
    const down = await replica(mergeConfig(stack.config, { redis: { url: 'redis://127.0.0.1:1' } }), log);
    const user = await registerUser(stack);
    // Not refusing everyone: the right password still signs in (and counts as one of the ten).
    const ok = await login(down.gateway.url, user.email, user.password, newIp());
    expect(ok.data.login.accessToken).toEqual(expect.any(String));
    await tenWrongLogins([down.gateway.url], user.email, 9);
    expectRateLimited(await login(down.gateway.url, user.email, user.password, newIp()));
    expect(lines.some((l) => l.includes('Redis unreachable: rate limits fall back to per-process memory'))).toBe(true);
  });
});
