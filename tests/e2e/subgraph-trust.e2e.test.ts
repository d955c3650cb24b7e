import WebSocket from 'ws';
import { GATEWAY_SECRET_HEADER, GATEWAY_SECRET_REFUSAL, JWKS_PATH, mergeConfig, startSubgraph } from '@shop/platform';
import { startGateway } from '@shop/gateway';
import { subgraphDefinitions } from '../../subgraphs';
import { Stack, startStack, testConfig } from '../support/stack';
import { registerUser, userWithRole, TestUser } from '../support/users';
import { ADDRESS, CHECKOUT, addToCart, must, productWithStock, settledOrder, shippingMethodId } from '../support/shop';
import { subscribe, wsClient } from '../support/ws-client';

/** With SUBGRAPH_SHARED_SECRET set, subgraphs serve GraphQL to the gateway (and to each other) only. */
const SECRET = 'trust-test-secret-0123456789';
const PRODUCTS = '{ products(first: 1) { edges { node { id } } } }';

let stack: Stack;
let admin: TestUser;

beforeAll(async () => {
  stack = await startStack(undefined, mergeConfig(testConfig(), { subgraphSharedSecret: SECRET }));
  admin = await userWithRole(stack, 'ADMIN');
});
afterAll(() => stack?.stop());

const post = (url: string, headers: Record<string, string> = {}) => fetch(url, {
  method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: PRODUCTS }),
});

/** Opens a WebSocket to `url` and says how the upgrade went: 101 when accepted, else the HTTP status. */
function upgradeStatus(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws', { headers });
    socket.once('open', () => { socket.close(); resolve(101); });
    socket.once('unexpected-response', (_req, res) => { resolve(res.statusCode ?? 0); socket.terminate(); });
    socket.once('error', reject);
  });
}

describe('subgraphs reached directly', () => {
  it('refuse /graphql without the secret with 403 saying why, and serve it with the secret', async () => {
    const catalog = stack.subgraphs.catalog!.url;
    const attempts: Record<string, string>[] = [{}, { [GATEWAY_SECRET_HEADER]: 'wrong' }, { [GATEWAY_SECRET_HEADER]: `${SECRET}x` }];
    for (const headers of attempts) {
      const res = await post(catalog, headers);
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ errors: [{ message: GATEWAY_SECRET_REFUSAL, extensions: { code: 'FORBIDDEN' } }] });
    }
    const res = await post(catalog, { [GATEWAY_SECRET_HEADER]: SECRET });
    expect(res.status).toBe(200);
    expect((await res.json()).data.products.edges).toBeDefined();
  });

  it('refuse a graphql-ws connection without the secret before the upgrade', async () => {
    const orders = stack.subgraphs.orders!.url;
    expect(await upgradeStatus(orders, {})).toBe(403);
    expect(await upgradeStatus(orders, { [GATEWAY_SECRET_HEADER]: 'wrong' })).toBe(403);
    expect(await upgradeStatus(orders, { [GATEWAY_SECRET_HEADER]: SECRET })).toBe(101);
  });

  it('keep /health, /ready and the JWKS open', async () => {
    const accounts = new URL(stack.subgraphs.accounts!.url);
    for (const path of ['/health', '/ready', JWKS_PATH]) {
      expect((await fetch(new URL(path, accounts))).status).toBe(200);
    }
  });
});

describe('through the gateway', () => {
  it('serves everything end to end: sign-in with a guest cart, checkout calling other subgraphs, subscriptions', async () => {
    const productId = await productWithStock(stack, admin, 1500, 5);
    const guest = await addToCart(stack, { productId, quantity: 1 });
    const customer = await registerUser(stack);
    const signedIn = await must(stack, `mutation($i: LoginInput!) { login(input: $i) { accessToken userErrors { code } } }`, {
      i: { email: customer.email, password: customer.password, guestCartId: guest.cart.id },
    });
    const token = signedIn.login.accessToken as string;
    const { cart } = await must(stack, '{ cart { id lines { quantity } } }', {}, token);
    expect(cart.lines).toEqual([{ quantity: 1 }]);

    const placed = await must(stack, CHECKOUT, {
      i: { cartId: cart.id, shippingAddress: ADDRESS, shippingMethodId: await shippingMethodId(stack), paymentToken: 'tok_visa', idempotencyKey: 'trust-1' },
    }, token);
    expect(placed.checkout.userErrors).toEqual([]);
    const order = await settledOrder(stack, placed.checkout.order.id, token);
    expect(order.status).toBe('CONFIRMED');

    const client = wsClient(stack.gatewayUrl, token);
    const updates = subscribe(client, 'subscription($id: ID!) { orderUpdated(id: $id) { id status } }', { id: order.id });
    expect(await updates.next()).toEqual({ data: { orderUpdated: { id: order.id, status: 'CONFIRMED' } } });
    await updates.stop();
    await client.dispose();
  });
});

describe('in production', () => {
  it('neither a subgraph nor the gateway starts without the secret', async () => {
    const production = mergeConfig(testConfig(), { env: 'production', subgraphSharedSecret: null });
    await expect(startSubgraph(subgraphDefinitions.catalog!, production, { port: 0 })).rejects.toThrow(/SUBGRAPH_SHARED_SECRET must be set in production/);
    await expect(startGateway(production, { port: 0 })).rejects.toThrow(/SUBGRAPH_SHARED_SECRET must be set in production/);
  });
});
