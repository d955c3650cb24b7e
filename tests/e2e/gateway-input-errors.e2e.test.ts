import { AuthForwardingDataSource } from '@shop/gateway/src/data-source';
import { formatGatewayError } from '@shop/gateway/src/errors';
import { startStack, Stack } from '../support/stack';
import { codes, GqlResponse } from '../support/graphql-client';
import { TestUser, userWithRole } from '../support/users';

let stack: Stack;
let admin: TestUser;
beforeAll(async () => {
  stack = await startStack(['accounts', 'catalog', 'discounts']);
  admin = await userWithRole(stack, 'ADMIN');
});
afterAll(async () => { await stack?.stop(); });

const CREATE = `mutation($code: String!, $ends: DateTime) {
  createCoupon(code: $code, kind: PERCENT, value: 10, endsAt: $ends) { code endsAt } }`;
const BAD_DATES = ['yesterday', '2026-13-45T99:99:99Z', '2026-02-31T10:00:00Z', '2026-02-29T10:00:00Z', '2026-11-22T24:00:00Z', '2026-11-22', '-100000-01-01T00:00:00Z', ''];
let seq = 0;
const code = () => `IN${Date.now() % 1_000_000}${(seq += 1)}`;

/** A refusal a client can act on: BAD_USER_INPUT with a message about the value, nothing about the subgraphs. */
function expectClientRefusal(res: GqlResponse, mentions: string): void {
  expect(codes(res)).toEqual(['BAD_USER_INPUT']);
  expect(res.errors![0].message).toContain(mentions);
  const body = JSON.stringify(res);
  expect(body).not.toMatch(/127\.0\.0\.1|http:\/\/|stacktrace|serviceName|Internal server error/i);
}

describe('custom scalars at the gateway', () => {
  it.each(BAD_DATES)('refuses the DateTime variable %p as BAD_USER_INPUT', async (ends) => {
    const res = await stack.gql(CREATE, { code: code(), ends }, admin.token);
    expectClientRefusal(res, 'DateTime must be an ISO 8601 date-time');
    expect(res.status).toBe(400);
  });

  it('refuses a bad DateTime literal the same way, and accepts good ones', async () => {
    const literal = await stack.gql(`mutation { createCoupon(code: "${code()}", kind: PERCENT, value: 10, endsAt: "yesterday") { code } }`, {}, admin.token);
    expect(codes(literal)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(literal.errors![0].message).toContain('DateTime must be an ISO 8601 date-time');
    const ends = '2099-01-31T23:59:59+01:00';
    const res = await stack.gql(CREATE, { code: code(), ends }, admin.token);
    expect(res.errors).toBeUndefined();
    expect(res.data.createCoupon.endsAt).toBe('2099-01-31T22:59:59.000Z');
  });
});

describe("a subgraph's refusal of a whole request", () => {
  /** Sends an operation to a subgraph the way the gateway does, and formats what it throws as the gateway would. */
  async function throughDataSource(url: string, query: string, variables: Record<string, unknown>, token: string) {
    const source = new AuthForwardingDataSource(url);
    try {
      await source.process({
        kind: 'incoming operation',
        request: { query, variables },
        context: { authorization: `Bearer ${token}` },
        incomingRequestContext: {},
      } as any);
    } catch (e: any) {
      return formatGatewayError({ message: e.message, extensions: e.extensions }, e);
    }
    throw new Error('the subgraph accepted the request');
  }

  it('reaches the client as BAD_USER_INPUT with the subgraph message, for each subgraph with a custom scalar', async () => {
    const discounts = await throughDataSource(stack.subgraphs.discounts!.url, CREATE, { code: code(), ends: 'yesterday' }, admin.token);
    expect(discounts.extensions?.code).toBe('BAD_USER_INPUT');
    expect(discounts.message).toContain('DateTime must be an ISO 8601 date-time');
    expect(JSON.stringify(discounts)).not.toMatch(/127\.0\.0\.1|http:\/\/|stacktrace|response/);

    const catalog = await throughDataSource(stack.subgraphs.catalog!.url,
      'query($f: Int!) { products(first: $f) { totalCount } }', { f: 'many' }, admin.token);
    expect(catalog.extensions?.code).toBe('BAD_USER_INPUT');
    expect(catalog.message).toContain('$f');
  });

});
