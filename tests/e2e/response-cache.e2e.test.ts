import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { CATALOG_COPIES_CHANGED, mergeConfig, noticeSubject } from '@shop/platform';
import { Stack, startStack, testConfig } from '../support/stack';
import { TestUser, userWithRole } from '../support/users';
import { productWithStock } from '../support/shop';
import { eventually } from '../support/eventually';

const PREFIX = `test-response-cache-${randomBytes(4).toString('hex')}`;
const PUBLIC = 'query($id: ID!) { product(id: $id) { id name stock { available inStock } } }';
const ON_HAND = 'query($id: ID!) { product(id: $id) { id stock { onHand available } } }';

let stack: Stack;
let admin: TestUser;
let productId: string;

/** Posts an operation and says whether the gateway answered it from its cache. */
async function ask(query: string, variables: Record<string, unknown>, token?: string): Promise<{ cache: string | null; body: any }> {
  const res = await fetch(stack.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { cache: res.headers.get('x-cache'), body: await res.json() };
}

beforeAll(async () => {
  stack = await startStack(['accounts', 'catalog', 'inventory'], mergeConfig(testConfig(), {
    responseCache: { enabled: true, keyPrefix: PREFIX, ttlSeconds: 60 },
  }));
  admin = await userWithRole(stack, 'ADMIN');
  productId = await productWithStock(stack, admin, 1200, 5);
});
afterAll(async () => {
  await stack?.stop();
  const redis = new Redis(stack.config.redis.url);
  const keys = await redis.keys(`${PREFIX}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

describe('response cache', () => {
  it('answers an anonymous public query from the cache, and fresh data after a stock change event', async () => {
    // Catalog answers stock from its copy of inventory's events, which follows setup's setStock within moments.
    const first = await eventually(async () => {
      const answer = await ask(PUBLIC, { id: productId });
      return answer.body.data.product.stock.available === 5 && answer;
    }, "catalog's copy of the stock");
    expect(first.body.data.product.stock).toEqual({ available: 5, inStock: true });
    // Setup's own events (product created, stock set) may still be arriving and retiring answers: until they settle, a miss is right.
    const second = await eventually(async () => {
      const answer = await ask(PUBLIC, { id: productId });
      return answer.cache === 'HIT' && answer;
    }, 'an answer from the cache');
    expect(second.body).toEqual({ data: first.body.data });

    await stack.gql('mutation($p: ID!) { setStock(productId: $p, onHand: 2) { onHand } }', { p: productId }, admin.token);
    const fresh = await eventually(async () => {
      const answer = await ask(PUBLIC, { id: productId });
      return answer.body.data.product.stock.available === 2 && answer;
    }, 'the stock change reaches anonymous callers');
    expect(fresh.body.data.product.stock).toEqual({ available: 2, inStock: true });
  });

  it('never answers an authenticated caller from the cache, nor stores what it sees', async () => {
    const anonymous = await ask(PUBLIC, { id: productId });
    // The last test's stock change may still be retiring answers (catalog's notice follows its copy): until then a miss is right.
    await eventually(async () => (await ask(PUBLIC, { id: productId })).cache === 'HIT', 'an answer from the cache');
    const asAdmin = await ask(PUBLIC, { id: productId }, admin.token);
    expect(asAdmin.cache).toBeNull();
    expect(asAdmin.body.data).toEqual(anonymous.body.data);

    // The ADMIN asks onHand first: anonymous callers asking the same never get the ADMIN's answer.
    const adminOnHand = await ask(ON_HAND, { id: productId }, admin.token);
    expect(adminOnHand.body.data.product.stock.onHand).toBe(2);
    expect(adminOnHand.cache).toBeNull();
    const anonymousOnHand = await ask(ON_HAND, { id: productId });
    expect(anonymousOnHand.cache).toBeNull();
    expect(anonymousOnHand.body.errors?.[0]?.extensions?.code).toMatch(/^(UNAUTHENTICATED|FORBIDDEN)$/);
    expect(JSON.stringify(anonymousOnHand.body)).not.toContain('"onHand":2');
    // ...and an anonymous answer with an error is not stored for anyone.
    expect((await ask(ON_HAND, { id: productId })).cache).toBeNull();
    const adminAgain = await ask(ON_HAND, { id: productId }, admin.token);
    expect(adminAgain.cache).toBeNull();
    expect(adminAgain.body.data.product.stock.onHand).toBe(2);
  });

  it("retires stored answers when catalog says its copy of stock or ratings changed", async () => {
    await eventually(async () => (await ask(PUBLIC, { id: productId })).cache === 'HIT', 'an answer from the cache');
    // Only the notice: an answer computed between inventory's event and catalog's copy of it must not outlive the copy.
    const nats = await stack.nats();
    nats.publish(noticeSubject(stack.config.eventPrefix, CATALOG_COPIES_CHANGED));
    await nats.flush();
    await eventually(async () => (await ask(PUBLIC, { id: productId })).cache !== 'HIT', 'the stored answer retired');
  });

  it('does not cache mutations, or queries reaching beyond public catalog fields', async () => {
    await ask('{ me { id } }', {});
    expect((await ask('{ me { id } }', {})).cache).toBeNull();
  });
});
