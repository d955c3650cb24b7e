import { startStack, Stack } from '../support/stack';
import { registerUser, userWithRole, TestUser } from '../support/users';
import { ADDRESS, CHECKOUT, addToCart, must, productWithStock, shippingMethodId } from '../support/shop';
import { eventually } from '../support/eventually';
import { TestSubscription, subscribe, wsClient } from '../support/ws-client';

let stack: Stack;
let admin: TestUser;
const clients: ReturnType<typeof wsClient>[] = [];

function client(token?: string) {
  const c = wsClient(stack.gatewayUrl, token);
  clients.push(c);
  return c;
}

/** Waits until a subgraph serves `n` subscription operations, so no event is published before they listen. */
async function listening(name: 'orders' | 'inventory', n: number): Promise<void> {
  await eventually(async () => stack.subgraphs[name]!.subscriptions!.stats().operations >= n, `${name} subscriptions live`);
}

/** Reads results until one satisfies `done`; returns all read. */
async function readUntil(sub: TestSubscription, done: (data: any) => boolean): Promise<any[]> {
  const seen: any[] = [];
  for (;;) {
    const result = await sub.next(20_000);
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    seen.push(result.data);
    if (done(result.data)) return seen;
  }
}

beforeAll(async () => {
  stack = await startStack();
  admin = await userWithRole(stack, 'ADMIN');
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await stack?.stop();
});

describe('a customer watches the order live', () => {
  it('guest cart → login merge → coupon → checkout, pushed PENDING → CONFIRMED across subgraphs', async () => {
    const productId = await productWithStock(stack, admin, 2000, 10, 'Live Walnut Lamp');
    await must(stack, 'mutation { createCoupon(code: "LIVE10", kind: PERCENT, value: 10) { id } }', {}, admin.token);

    const stock = subscribe(client(), 'subscription($p: [ID!]) { stockChanged(productIds: $p) { id stock { available } } }', { p: [productId] });
    const allOrders = subscribe(client(admin.token), 'subscription { ordersUpdated { id status } }');
    await listening('inventory', 1);
    await listening('orders', 1);

    const guest = await addToCart(stack, { productId, quantity: 2 });
    const customer = await registerUser(stack);
    await must(stack, 'mutation($i: LoginInput!) { login(input: $i) { accessToken } }', {
      i: { email: customer.email, password: customer.password, guestCartId: guest.cart.id },
    });
    const cart = await eventually(async () => {
      const data = await must(stack, '{ cart { id lines { quantity product { id } } } }', {}, customer.token);
      return data.cart?.lines.length === 1 ? data.cart : null;
    }, 'guest cart merged');
    expect(cart.lines).toEqual([{ quantity: 2, product: { id: productId } }]);
    const coupon = await must(stack, 'mutation($c: ID!) { applyCoupon(cartId: $c, code: "LIVE10") { cart { discount { amount } total { amount } } userErrors { code } } }',
      { c: cart.id }, customer.token);
    expect(coupon.applyCoupon).toEqual({ cart: { discount: { amount: 400 }, total: { amount: 3600 } }, userErrors: [] });

    const placed = await must(stack, CHECKOUT, {
      i: { cartId: cart.id, shippingAddress: ADDRESS, shippingMethodId: await shippingMethodId(stack), paymentToken: 'tok_visa', idempotencyKey: 'live' },
    }, customer.token);
    const orderId = placed.checkout.order.id;
    const mine = subscribe(client(customer.token), `subscription($id: ID!) {
      orderUpdated(id: $id) { id status discount { amount } payment { status } lines { quantity product { name stock { available } } } }
    }`, { id: orderId });
    const pushed = await readUntil(mine, (d) => d.orderUpdated.status === 'CONFIRMED' && d.orderUpdated.payment?.status === 'AUTHORIZED');
    expect(pushed[pushed.length - 1].orderUpdated).toEqual({
      id: orderId, status: 'CONFIRMED', discount: { amount: 400 }, payment: { status: 'AUTHORIZED' },
      lines: [{ quantity: 2, product: { name: 'Live Walnut Lamp', stock: { available: 8 } } }],
    });

    const adminView = await readUntil(allOrders, (d) => d.ordersUpdated.id === orderId && d.ordersUpdated.status === 'CONFIRMED');
    expect(adminView.filter((d) => d.ordersUpdated.id === orderId).map((d) => d.ordersUpdated.status)).toEqual(['PENDING', 'CONFIRMED']);
    const levels = await readUntil(stock, (d) => d.stockChanged.stock.available === 8);
    expect(levels[0].stockChanged).toEqual({ id: productId, stock: { available: 8 } });
    await eventually(async () => (await must(stack, '{ cart { lines { id } } }', {}, customer.token)).cart.lines.length === 0, 'cart emptied');
    await Promise.all([stock.stop(), allOrders.stop(), mine.stop()]);
  });

  it("refuses to push someone else's order, and all orders to customers", async () => {
    const owner = await registerUser(stack);
    const stranger = await registerUser(stack);
    const productId = await productWithStock(stack, admin, 1000, 5);
    const { cart } = await addToCart(stack, { productId, quantity: 1 }, owner.token);
    const placed = await must(stack, CHECKOUT, {
      i: { cartId: cart.id, shippingAddress: ADDRESS, shippingMethodId: await shippingMethodId(stack), paymentToken: 'tok_visa', idempotencyKey: 'x' },
    }, owner.token);
    const query = 'subscription($id: ID!) { orderUpdated(id: $id) { id status } }';
    const spy = await subscribe(client(stranger.token), query, { id: placed.checkout.order.id }).next();
    expect(spy.data ?? null).toBeNull();
    expect(spy.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    const anonymous = await subscribe(client(), query, { id: placed.checkout.order.id }).next();
    expect(anonymous.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    const all = await subscribe(client(owner.token), 'subscription { ordersUpdated { id } }').next();
    expect(all.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });
});
