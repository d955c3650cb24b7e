import { Client } from 'graphql-ws';
import { startStack, Stack } from '../support/stack';
import { userWithRole } from '../support/users';
import { productWithStock } from '../support/shop';
import { eventually, subscribe, wsClient } from '../support/ws-client';

let stack: Stack;
let client: Client | undefined;

beforeAll(async () => {
  stack = await startStack(['accounts', 'catalog', 'inventory']);
});
afterAll(async () => {
  await client?.dispose();
  // The test stopped the gateway and inventory itself: stop what is left (stack.stop() would stop the gateway twice).
  await Promise.allSettled([stack?.subgraphs.accounts?.stop(), stack?.subgraphs.catalog?.stop()]);
  await stack?.mail.stop();
});

describe('gateway stop', () => {
  it('stops cleanly while a subgraph it streams from has already gone (its upstream connection retrying)', async () => {
    const admin = await userWithRole(stack, 'ADMIN');
    const productId = await productWithStock(stack, admin, 1500, 10, 'Stopping Teapot');
    client = wsClient(stack.gatewayUrl);
    subscribe(client, 'subscription($p: [ID!]) { stockChanged(productIds: $p) { id name } }', { p: [productId] });
    await eventually(() => stack.gateway.subscriptions.stats().upstreamOperations === 1, 'the upstream operation live');

    await stack.subgraphs.inventory!.stop();
    await new Promise((r) => setTimeout(r, 400)); // the upstream connection is now between reconnect attempts
    const started = Date.now();
    await expect(stack.gateway.stop()).resolves.toBeUndefined();
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
