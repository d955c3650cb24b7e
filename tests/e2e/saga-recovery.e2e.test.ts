import { mergeConfig, startSubgraph } from '@shop/platform';
import { payments } from '@shop/payments';
import { inventory as inventoryDefinition } from '@shop/inventory';
import { startStack, Stack, testConfig } from '../support/stack';
import { registerUser, userWithRole } from '../support/users';
import { ADDRESS, CHECKOUT, ORDER_STATE, addToCart, must, productWithStock, settledOrder, shippingMethodId } from '../support/shop';
import { eventually } from '../support/eventually';

const STOCK = `query($id: ID!) { product(id: $id) { stock { onHand reserved available } } }`;

async function placeOrder(stack: Stack, token: string, productId: string, key: string): Promise<string> {
  const { cart } = await addToCart(stack, { productId, quantity: 2 }, token);
  const placed = await must(stack, CHECKOUT, {
    i: { cartId: cart.id, shippingAddress: ADDRESS, shippingMethodId: await shippingMethodId(stack), paymentToken: 'tok_visa', idempotencyKey: key },
  }, token);
  return placed.checkout.order.id;
}

describe('the checkout saga after a crash', () => {
  let stack: Stack;
  beforeAll(async () => { stack = await startStack(); });
  afterAll(async () => { await stack?.stop(); });

  it('finishes by itself when the payments process stops mid-saga and starts again', async () => {
    const admin = await userWithRole(stack, 'ADMIN');
    const productId = await productWithStock(stack, admin, 1500, 6);
    const customer = await registerUser(stack);
    const down = stack.subgraphs.payments!;
    await down.stop();

    const orderId = await placeOrder(stack, customer.token, productId, 'crash');
    // Stock is reserved, then the saga waits for payments: the order stays PENDING.
    await eventually(async () => (await must(stack, STOCK, { id: productId }, admin.token)).product.stock.reserved === 2, 'stock reserved');
    const pending = await stack.gql(`query($id: ID!) { order(id: $id) { status } }`, { id: orderId }, customer.token);
    expect(pending.data.order.status).toBe('PENDING');

    stack.subgraphs.payments = await startSubgraph(payments, stack.config, { port: down.port, host: '127.0.0.1' });
    const order = await settledOrder(stack, orderId, customer.token);
    expect(order).toMatchObject({ status: 'CONFIRMED', payment: { status: 'AUTHORIZED' } });
    await eventually(async () => {
      const s = (await must(stack, STOCK, { id: productId }, admin.token)).product.stock;
      return s.onHand === 4 && s.reserved === 0;
    }, 'stock sold');
  });
});

describe('the checkout saga when a step never answers', () => {
  let stack: Stack;
  beforeAll(async () => {
    // No payments subgraph at all, and a one-second reservation deadline swept often.
    const config = mergeConfig(testConfig(), { saga: { reservationTtlSeconds: 1, sweepIntervalMs: 100 } });
    stack = await startStack(['accounts', 'catalog', 'inventory', 'cart', 'discounts', 'shipping', 'orders'], config);
  });
  afterAll(async () => { await stack?.stop(); });

  it('cancels the order and releases the stock once the reservation expires', async () => {
    const admin = await userWithRole(stack, 'ADMIN');
    const productId = await productWithStock(stack, admin, 800, 3);
    const customer = await registerUser(stack);
    const orderId = await placeOrder(stack, customer.token, productId, 'stalled');
    const order = await eventually(async () => {
      const res = await stack.gql(ORDER_STATE.replace('payment { status } ', ''), { id: orderId }, customer.token);
      return res.data?.order?.status === 'CANCELLED' ? res.data.order : null;
    }, 'order cancelled after the deadline', 20_000);
    expect(order.cancellationReason).toMatch(/reservation expired/i);
    expect(order.statusHistory.map((h: any) => h.status)).toEqual(['PENDING', 'CANCELLED']);
    await eventually(async () => {
      const s = (await must(stack, STOCK, { id: productId }, admin.token)).product.stock;
      return s.onHand === 3 && s.reserved === 0 && s.available === 3;
    }, 'stock released');
  });
});

describe('the checkout saga when inventory never answers', () => {
  let stack: Stack;
  beforeAll(async () => {
    const config = mergeConfig(testConfig(), { saga: { reservationTtlSeconds: 1, pendingGraceSeconds: 0, sweepIntervalMs: 100 } });
    stack = await startStack(['accounts', 'catalog', 'inventory', 'cart', 'discounts', 'shipping', 'orders'], config);
  });
  afterAll(async () => { await stack?.stop(); });

  it('cancels an order that stays PENDING past the deadline, and a late reservation holds nothing', async () => {
    const admin = await userWithRole(stack, 'ADMIN');
    const productId = await productWithStock(stack, admin, 700, 4);
    const customer = await registerUser(stack);
    const inventory = stack.subgraphs.inventory!;
    await inventory.stop();
    const orderId = await placeOrder(stack, customer.token, productId, 'no-inventory');
    const order = await eventually(async () => {
      const res = await stack.gql(`query($id: ID!) { order(id: $id) { status cancellationReason } }`, { id: orderId }, customer.token);
      return res.data?.order?.status === 'CANCELLED' ? res.data.order : null;
    }, 'order cancelled by orders', 20_000);
    expect(order.cancellationReason).toBe('The checkout did not complete in time');

    stack.subgraphs.inventory = await startSubgraph(inventoryDefinition,
      stack.config, { port: inventory.port, host: '127.0.0.1' });
    // Inventory now sees placed and cancelled: whatever their order, nothing stays reserved.
    await eventually(async () => {
      const s = (await must(stack, STOCK, { id: productId }, admin.token)).product.stock;
      return s.onHand === 4 && s.reserved === 0 && s.available === 4;
    }, 'nothing held for the cancelled order');
  });
});
