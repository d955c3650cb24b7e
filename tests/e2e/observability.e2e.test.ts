import { jetstreamManager } from '@nats-io/jetstream';
import { mergeConfig, streamName, subjectOf } from '@shop/platform';
import { startStack, Stack, testConfig } from '../support/stack';
import { registerUser, userWithRole, TestUser } from '../support/users';
import { ADDRESS, CHECKOUT, addToCart, must, productWithStock, settledOrder, shippingMethodId } from '../support/shop';
import { subgraphSql } from '../support/database';
import { eventually } from '../support/eventually';
import { scrape, samplesOf, valueOf } from '../support/metrics';
import { subscribe, wsClient } from '../support/ws-client';

let stack: Stack;
let admin: TestUser;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function post(url: string, query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}, token?: string) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { requestId: res.headers.get('x-request-id'), body: await res.json() as any };
}

/** The x-request-id headers of the stream's messages of one event type. */
async function requestIdsOf(type: Parameters<typeof subjectOf>[1]): Promise<(string | undefined)[]> {
  const jsm = await jetstreamManager(await stack.nats());
  const stream = streamName(stack.config.eventPrefix);
  const { state } = await jsm.streams.info(stream);
  const ids: (string | undefined)[] = [];
  for (let seq = state.first_seq; state.messages > 0 && seq <= state.last_seq; seq++) {
    const msg = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
    if (msg?.subject === subjectOf(stack.config.eventPrefix, type)) ids.push(msg.header?.get('x-request-id') || undefined);
  }
  return ids;
}

beforeAll(async () => {
  stack = await startStack(undefined, mergeConfig(testConfig(), { observability: { sampleIntervalMs: 200 } }));
  admin = await userWithRole(stack, 'ADMIN');
});
afterAll(async () => { await stack?.stop(); });

describe('request ids', () => {
  const PRODUCTS = 'query ObsProducts { products(first: 2) { edges { node { id name } } } }';

  it('echoes a usable x-request-id, replaces an unusable one and makes one when none comes', async () => {
    expect((await post(stack.gatewayUrl, PRODUCTS, {}, { 'x-request-id': 'web-7f3a:retry.1' })).requestId).toBe('web-7f3a:retry.1');
    expect((await post(stack.gatewayUrl, PRODUCTS, {})).requestId).toMatch(UUID);
    expect((await post(stack.gatewayUrl, PRODUCTS, {}, { 'x-request-id': 'x'.repeat(129) })).requestId).toMatch(UUID);
    expect((await post(stack.gatewayUrl, PRODUCTS, {}, { 'x-request-id': 'two words' })).requestId).toMatch(UUID);
    const a = (await post(stack.gatewayUrl, PRODUCTS, {})).requestId;
    const b = (await post(stack.gatewayUrl, PRODUCTS, {})).requestId;
    expect(a).not.toBe(b);
  });

  it('subgraphs echo it too', async () => {
    const direct = await post(stack.subgraphs.catalog!.url, '{ __typename }', {}, { 'x-request-id': 'direct-1' });
    expect(direct.requestId).toBe('direct-1');
    expect((await post(stack.subgraphs.orders!.url, '{ __typename }', {})).requestId).toMatch(UUID);
  });

  it('reaches the subgraph, its outbox row and the NATS event it publishes', async () => {
    const requestId = `create-${Date.now()}`;
    const created = await post(stack.gatewayUrl, 'mutation($i: ProductInput!) { createProduct(input: $i) { id } }', {
      i: { name: `Request id lamp ${Date.now()}`, description: 'Traced by id', price: 900, currency: 'EUR' },
    }, { 'x-request-id': requestId }, admin.token);
    expect(created.requestId).toBe(requestId);
    const id = created.body.data.createProduct.id;
    const rows = await subgraphSql(stack, 'catalog', `SELECT request_id, trace_context FROM outbox_events WHERE type = 'catalog.product.created' AND payload->>'productId' = ?`, [id]);
    expect(rows).toEqual([{ request_id: requestId, trace_context: null }]);
    await eventually(async () => (await requestIdsOf('catalog.product.created')).includes(requestId), 'event published with the request id');
  });

  it('a checkout\'s id follows the saga: events recorded by the consumers of its events carry it', async () => {
    const customer = await registerUser(stack, 'Request id buyer');
    const productId = await productWithStock(stack, admin, 1200, 5);
    const cart = await addToCart(stack, { productId, quantity: 1 }, customer.token);
    const requestId = `checkout-${Date.now()}`;
    const res = await post(stack.gatewayUrl, CHECKOUT, {
      i: { cartId: cart.cart.id, shippingAddress: ADDRESS, shippingMethodId: await shippingMethodId(stack), paymentToken: 'tok_visa', idempotencyKey: `obs-${Date.now()}` },
    }, { 'x-request-id': requestId }, customer.token);
    const order = res.body.data?.checkout?.order;
    if (!order) throw new Error(JSON.stringify(res.body));
    expect((await settledOrder(stack, order.id, customer.token)).status).toBe('CONFIRMED');
    // Orders records placed; inventory records reserved on consuming it; orders records confirmed on a later step.
    expect(await requestIdsOf('orders.order.placed')).toContain(requestId);
    await eventually(async () => (await requestIdsOf('inventory.stock.reserved')).includes(requestId), 'reservation carries the checkout\'s id');
    await eventually(async () => (await requestIdsOf('orders.order.confirmed')).includes(requestId), 'confirmation carries the checkout\'s id');
  });
});

describe('/metrics', () => {
  it('counts and times gateway requests by operation and outcome, and subgraph fetches by subgraph', async () => {
    const first = await scrape(stack.gatewayUrl);
    const before = valueOf(first, 'shop_graphql_requests_total', { service: 'gateway', operation: 'ObsCount', outcome: 'ok' }) ?? 0;
    // A document that fails validation names no operation the server could resolve.
    const invalid = { service: 'gateway', operation: 'anonymous', outcome: 'GRAPHQL_VALIDATION_FAILED' };
    const invalidBefore = valueOf(first, 'shop_graphql_requests_total', invalid) ?? 0;
    for (let i = 0; i < 3; i++) await must(stack, 'query ObsCount { products(first: 1) { edges { node { id } } } }', {});
    await stack.gql('query ObsInvalid { noSuchField }');
    const gateway = await scrape(stack.gatewayUrl);
    expect(valueOf(gateway, 'shop_graphql_requests_total', { service: 'gateway', operation: 'ObsCount', outcome: 'ok' })).toBe(before + 3);
    expect(valueOf(gateway, 'shop_graphql_requests_total', invalid)).toBe(invalidBefore + 1);
    expect(valueOf(gateway, 'shop_graphql_request_duration_seconds_count', { service: 'gateway', operation: 'ObsCount', outcome: 'ok' })).toBe(before + 3);
    expect(valueOf(gateway, 'shop_graphql_request_duration_seconds_sum', { service: 'gateway', operation: 'ObsCount', outcome: 'ok' })).toBeGreaterThan(0);
    expect(valueOf(gateway, 'shop_graphql_request_duration_seconds_bucket', { service: 'gateway', operation: 'ObsCount', outcome: 'ok', le: '+Inf' })).toBe(before + 3);
    expect(valueOf(gateway, 'shop_gateway_subgraph_fetch_duration_seconds_count', { subgraph: 'catalog', outcome: 'ok' })).toBeGreaterThanOrEqual(3);
    expect(valueOf(gateway, 'process_cpu_seconds_total')).toBeGreaterThan(0);
  });

  it('a subgraph serves its requests, the saga, its consumers, its outbox and its subscriptions', async () => {
    const customer = await registerUser(stack, 'Metrics buyer');
    const productId = await productWithStock(stack, admin, 800, 5);
    const ordersBefore = await scrape(stack.subgraphs.orders!.url);
    const confirmedBefore = valueOf(ordersBefore, 'shop_checkout_saga_duration_seconds_count', { outcome: 'CONFIRMED' }) ?? 0;
    const cart = await addToCart(stack, { productId, quantity: 2 }, customer.token);
    const placed = await must(stack, CHECKOUT, {
      i: { cartId: cart.cart.id, shippingAddress: ADDRESS, shippingMethodId: await shippingMethodId(stack), paymentToken: 'tok_visa', idempotencyKey: `obs-${Date.now()}` },
    }, customer.token);
    expect((await settledOrder(stack, placed.checkout.order.id, customer.token)).status).toBe('CONFIRMED');

    const client = wsClient(stack.gatewayUrl, admin.token);
    try {
      const sub = subscribe(client, 'subscription { ordersUpdated { id status } }');
      await eventually(async () => stack.subgraphs.orders!.subscriptions!.stats().operations === 1, 'subscription open');
      const orders = await eventually(async () => {
        const s = await scrape(stack.subgraphs.orders!.url);
        return (valueOf(s, 'shop_checkout_saga_duration_seconds_count', { outcome: 'CONFIRMED' }) ?? 0) > confirmedBefore ? s : null;
      }, 'checkout duration observed');
      expect(valueOf(orders, 'shop_checkout_saga_duration_seconds_sum', { outcome: 'CONFIRMED' })).toBeGreaterThan(0);
      expect(valueOf(orders, 'shop_graphql_requests_total', { service: 'orders', outcome: 'ok', operation: 'anonymous' })).toBeGreaterThan(0);
      expect(valueOf(orders, 'shop_events_handled_total', { consumer: 'orders-payment-authorized', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
      expect(valueOf(orders, 'shop_event_handling_duration_seconds_count', { consumer: 'orders-payment-authorized', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
      expect(valueOf(orders, 'shop_events_handled_total', { consumer: 'inventory-order-placed', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
      expect(valueOf(orders, 'shop_consumer_pending_events', { consumer: 'orders-payment-authorized' })).toBeGreaterThanOrEqual(0);
      expect(valueOf(orders, 'shop_outbox_unpublished_events', { service: 'orders' })).toBeGreaterThanOrEqual(0);
      expect(valueOf(orders, 'shop_graphql_open_subscriptions', { service: 'orders' })).toBe(1);
      expect(valueOf(orders, 'shop_graphql_open_subscriptions', { service: 'gateway' })).toBe(1);
      expect(samplesOf(orders, 'shop_event_redeliveries_total')).toBeDefined();
      await sub.stop();
    } finally {
      await client.dispose();
    }
    await eventually(async () => valueOf(await scrape(stack.gatewayUrl), 'shop_graphql_open_subscriptions', { service: 'gateway' }) === 0, 'subscription closed');
  });
});
