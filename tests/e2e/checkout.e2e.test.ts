import { startStack, Stack } from '../support/stack';
import { registerUser, userWithRole, TestUser } from '../support/users';
import { ADDRESS, CHECKOUT, addToCart, must, productWithStock, settledOrder, shippingMethodId } from '../support/shop';
import { eventually } from '../support/eventually';

let stack: Stack;
let admin: TestUser;
let methodId: string;

beforeAll(async () => {
  stack = await startStack();
  admin = await userWithRole(stack, 'ADMIN');
  methodId = await shippingMethodId(stack);
});
afterAll(async () => { await stack?.stop(); });

const STOCK = `query($id: ID!) { product(id: $id) { stock { available onHand reserved } } }`;

async function stockOf(productId: string) {
  return (await must(stack, STOCK, { id: productId }, admin.token)).product.stock;
}

function checkoutInput(cartId: string, key: string, paymentToken = 'tok_visa') {
  return { i: { cartId, shippingAddress: ADDRESS, shippingMethodId: methodId, paymentToken, idempotencyKey: key } };
}

describe('checkout through the gateway', () => {
  it('confirms a paid order: stock sold, payment authorized, cart emptied', async () => {
    const productId = await productWithStock(stack, admin, 2500, 10);
    const customer = await registerUser(stack);
    const { cart } = await addToCart(stack, { productId, quantity: 3 }, customer.token);
    const placed = await must(stack, CHECKOUT, checkoutInput(cart.id, 'journey-1'), customer.token);
    expect(placed.checkout.userErrors).toEqual([]);
    expect(placed.checkout.order).toMatchObject({ status: 'PENDING', total: { amount: 3 * 2500 + 499, currency: 'EUR' } });

    const order = await settledOrder(stack, placed.checkout.order.id, customer.token);
    expect(order).toMatchObject({ status: 'CONFIRMED', payment: { status: 'AUTHORIZED' }, cancellationReason: null });
    expect(order.statusHistory.map((h: any) => h.status)).toEqual(['PENDING', 'CONFIRMED']);
    await eventually(async () => {
      const s = await stockOf(productId);
      return s.onHand === 7 && s.reserved === 0 && s.available === 7;
    }, 'stock sold');
    await eventually(async () => (await must(stack, '{ cart { lines { id } } }', {}, customer.token)).cart?.lines.length === 0, 'cart emptied');
  });

  it('cancels a declined payment with the reason, puts the stock back and gives the cart its lines back', async () => {
    const productId = await productWithStock(stack, admin, 1000, 4);
    const customer = await registerUser(stack);
    const { cart } = await addToCart(stack, { productId, quantity: 2 }, customer.token);
    const placed = await must(stack, CHECKOUT, checkoutInput(cart.id, 'declined-1', 'tok_chargeDeclined'), customer.token);
    const order = await settledOrder(stack, placed.checkout.order.id, customer.token);
    expect(order.status).toBe('CANCELLED');
    expect(order.cancellationReason).toMatch(/declined/i);
    expect(order.payment.status).toBe('FAILED');
    await eventually(async () => {
      const s = await stockOf(productId);
      return s.onHand === 4 && s.reserved === 0 && s.available === 4;
    }, 'stock released');
    // The cart gave its lines to the order when it was placed, and has them back: the customer can try another card.
    await eventually(async () => {
      const lines = (await must(stack, '{ cart { lines { quantity product { id } } } }', {}, customer.token)).cart?.lines;
      return lines?.length === 1 && lines[0].quantity === 2 && lines[0].product.id === productId;
    }, 'cart holds the declined order again');
  });

  it('never oversells: 50 concurrent checkouts of the last 5 units confirm exactly 5', async () => {
    const productId = await productWithStock(stack, admin, 500, 5);
    const customers = await Promise.all(Array.from({ length: 50 }, () => registerUser(stack)));
    const carts = await Promise.all(customers.map((c) => addToCart(stack, { productId, quantity: 1 }, c.token)));
    const placed = await Promise.all(customers.map((c, i) => must(stack, CHECKOUT, checkoutInput(carts[i].cart.id, 'oversell'), c.token)));
    expect(placed.every((p) => p.checkout.order?.status === 'PENDING')).toBe(true);
    const settled = await Promise.all(placed.map((p, i) => settledOrder(stack, p.checkout.order.id, customers[i].token)));
    const confirmed = settled.filter((o) => o.status === 'CONFIRMED');
    const cancelled = settled.filter((o) => o.status === 'CANCELLED');
    expect(confirmed).toHaveLength(5);
    expect(cancelled).toHaveLength(45);
    expect(cancelled.every((o) => /out of stock/i.test(o.cancellationReason))).toBe(true);
    await eventually(async () => {
      const s = await stockOf(productId);
      return s.onHand === 0 && s.reserved === 0;
    }, 'all 5 units sold');
  });

  it('creates one order and one payment for the same checkout sent 5 times at once', async () => {
    const productId = await productWithStock(stack, admin, 1200, 10);
    const customer = await registerUser(stack);
    const { cart } = await addToCart(stack, { productId, quantity: 1 }, customer.token);
    const results = await Promise.all(Array.from({ length: 5 }, () => must(stack, CHECKOUT, checkoutInput(cart.id, 'same-key'), customer.token)));
    const ids = new Set(results.map((r) => r.checkout.order.id));
    expect(ids.size).toBe(1);
    const order = await settledOrder(stack, [...ids][0], customer.token);
    expect(order.status).toBe('CONFIRMED');
    const mine = await must(stack, '{ orders { totalCount } }', {}, customer.token);
    expect(mine.orders.totalCount).toBe(1);
    await eventually(async () => (await stockOf(productId)).onHand === 9, 'one unit sold');
  });

  it('places one order with the coupon for one key sent 5 times at once, even when its coupon has one use left', async () => {
    const productId = await productWithStock(stack, admin, 3000, 10);
    await must(stack, 'mutation { createCoupon(code: "ONEKEY", kind: FIXED, value: 500, usageLimit: 1) { id } }', {}, admin.token);
    const customer = await registerUser(stack);
    const { cart } = await addToCart(stack, { productId, quantity: 1 }, customer.token);
    await must(stack, 'mutation($c: ID!) { applyCoupon(cartId: $c, code: "ONEKEY") { userErrors { code } } }', { c: cart.id }, customer.token);
    const results = await Promise.all(Array.from({ length: 5 }, () => must(stack, CHECKOUT, checkoutInput(cart.id, 'coupon-key'), customer.token)));
    // Every call claimed the coupon for the same order (the key's), so none was refused its use by another.
    expect(results.map((r) => r.checkout.userErrors)).toEqual(Array.from({ length: 5 }, () => []));
    expect(new Set(results.map((r) => r.checkout.order.id)).size).toBe(1);
    expect(results[0].checkout.order.total).toEqual({ amount: 3000 - 500 + 499, currency: 'EUR' });
    const order = await settledOrder(stack, results[0].checkout.order.id, customer.token);
    expect(order.status).toBe('CONFIRMED');
    expect((await must(stack, '{ orders { totalCount } }', {}, customer.token)).orders.totalCount).toBe(1);
    await eventually(async () => {
      const coupons = await must(stack, '{ coupons { code timesUsed } }', {}, admin.token);
      return coupons.coupons.find((c: any) => c.code === 'ONEKEY').timesUsed === 1;
    }, 'coupon use counted once');
  });

  it('gives a single-use coupon to exactly one of two concurrent checkouts', async () => {
    const productId = await productWithStock(stack, admin, 5000, 10);
    await must(stack, 'mutation { createCoupon(code: "ONCE", kind: FIXED, value: 1000, usageLimit: 1) { id } }', {}, admin.token);
    const customers = await Promise.all([registerUser(stack), registerUser(stack)]);
    const carts = await Promise.all(customers.map(async (c) => {
      const { cart } = await addToCart(stack, { productId, quantity: 1 }, c.token);
      const applied = await must(stack, 'mutation($c: ID!) { applyCoupon(cartId: $c, code: "ONCE") { userErrors { code } } }', { c: cart.id }, c.token);
      expect(applied.applyCoupon.userErrors).toEqual([]);
      return cart.id as string;
    }));
    const results = await Promise.all(customers.map((c, i) => must(stack, CHECKOUT, checkoutInput(carts[i], 'coupon-race'), c.token)));
    const placed = results.filter((r) => r.checkout.order);
    const refused = results.filter((r) => !r.checkout.order);
    expect(placed).toHaveLength(1);
    expect(refused[0].checkout.userErrors).toEqual([expect.objectContaining({ code: 'COUPON_USAGE_LIMIT_REACHED' })]);
    const winner = customers[results.indexOf(placed[0])];
    const order = await settledOrder(stack, placed[0].checkout.order.id, winner.token);
    expect(order.status).toBe('CONFIRMED');
    expect(placed[0].checkout.order.total).toEqual({ amount: 5000 - 1000 + 499, currency: 'EUR' });
    await eventually(async () => {
      const coupons = await must(stack, '{ coupons { code timesUsed } }', {}, admin.token);
      return coupons.coupons.find((c: any) => c.code === 'ONCE').timesUsed === 1;
    }, 'coupon use counted');
  });
});
