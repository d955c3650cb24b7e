import { newId } from '@shop/platform';
import { startStack, Stack } from '../support/stack';
import { TestUser, registerUser, userWithRole } from '../support/users';
import { ok } from '../support/graphql-client';
import { heldTransaction } from '../support/held-transaction';
import { eventually } from '../support/eventually';
import { consumerCaughtUp, publish } from '../support/events';
import { CART, add, cartSql, sellable } from '../support/cart';

let stack: Stack;
let admin: TestUser;
beforeAll(async () => {
  stack = await startStack(['accounts', 'catalog', 'inventory', 'cart']);
  admin = await userWithRole(stack, 'ADMIN');
});
afterAll(async () => { await stack?.stop(); });

const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { accessToken userErrors { code } } }`;

/** Signs in through the gateway bringing a guest cart; accounts publishes accounts.user.logged-in. */
async function loginWith(user: TestUser, guestCartId: string): Promise<string> {
  return ok(await stack.gql(LOGIN, { input: { email: user.email, password: user.password, guestCartId } }), 'login').accessToken;
}

const handled = async (consumer: string) =>
  (await cartSql(stack, 'SELECT count(*)::int AS n FROM processed_events WHERE consumer = ?', [consumer]))[0].n as number;

const quantities = (cart: any) => Object.fromEntries(cart.lines.map((l: any) => [l.product.id, l.quantity]));

describe('guest cart merge at login', () => {
  it('hands the guest cart over when the user has none', async () => {
    const lamp = await sellable(stack, admin.token, 500, 10);
    const user = await registerUser(stack);
    const guest = await add(stack, { productId: lamp, quantity: 2 });
    const token = await loginWith(user, guest.id);
    await eventually(async () => (await stack.gql(CART, {}, token)).data.cart?.id === guest.id, 'guest cart adopted');
    expect(quantities((await stack.gql(CART, {}, token)).data.cart)).toEqual({ [lamp]: 2 });
    // The guest's handle no longer opens it for anonymous callers: it is the user's now.
    expect((await stack.gql(CART, { id: guest.id })).data.cart).toBeNull();
  });

  it("merges the guest's lines into the user's cart, adding up and capping at 20, then drops the guest cart", async () => {
    const [a, b, c] = [await sellable(stack, admin.token, 100, 20), await sellable(stack, admin.token, 200, 5), await sellable(stack, admin.token, 300, 5)];
    const user = await registerUser(stack);
    const own = await add(stack, { productId: a, quantity: 15 }, user.token);
    await add(stack, { productId: b, quantity: 1 }, user.token);
    const guest = await add(stack, { productId: a, quantity: 10 });
    const withC = await add(stack, { cartId: guest.id, productId: c, quantity: 2 });
    const lineC = withC.lines.find((l: any) => l.product.id === c).id;

    const token = await loginWith(user, guest.id);
    await eventually(async () => (await cartSql(stack, 'SELECT 1 FROM carts WHERE id = ?', [guest.id])).length === 0, 'guest cart merged');
    const merged = (await stack.gql(CART, {}, token)).data.cart;
    expect(merged.id).toBe(own.id);
    expect(quantities(merged)).toEqual({ [a]: 20, [b]: 1, [c]: 2 });
    expect(merged.lines.find((l: any) => l.product.id === c).id).toBe(lineC);
    expect(merged.subtotal.amount).toBe(20 * 100 + 200 + 2 * 300);
  });

  it('ignores a second login with the same guest cart, an unknown id, and a cart owned by someone else', async () => {
    const lamp = await sellable(stack, admin.token, 100, 10);
    const [ann, bob] = [await registerUser(stack), await registerUser(stack)];
    const guest = await add(stack, { productId: lamp, quantity: 3 });
    const annToken = await loginWith(ann, guest.id);
    await eventually(async () => (await stack.gql(CART, {}, annToken)).data.cart?.id === guest.id, 'adopted');
    const bobCart = await add(stack, { productId: lamp, quantity: 1 }, bob.token);

    const before = await handled('cart-guest-cart-merge');
    await loginWith(ann, guest.id);
    const bobToken = await loginWith(bob, guest.id);
    await loginWith(bob, newId());
    await eventually(async () => (await handled('cart-guest-cart-merge')) === before + 3, 'logins handled');
    expect(quantities((await stack.gql(CART, {}, annToken)).data.cart)).toEqual({ [lamp]: 3 });
    expect((await stack.gql(CART, {}, bobToken)).data.cart).toMatchObject({ id: bobCart.id, lines: [{ quantity: 1 }] });
  });
});

const orderLine = (productId: string, quantity: number) => ({ lineId: newId(), productId, name: 'x', quantity, unitPrice: { amount: 100, currency: 'EUR' } });

describe('orders.order.placed', () => {
  it('takes the ordered quantities and the used coupon out of the cart', async () => {
    const [a, b] = [await sellable(stack, admin.token, 100, 10), await sellable(stack, admin.token, 200, 10)];
    const user = await registerUser(stack);
    const cart = await add(stack, { productId: a, quantity: 3 }, user.token);
    await add(stack, { productId: b, quantity: 1 }, user.token);
    await cartSql(stack, `UPDATE carts SET coupon_code = 'SAVE10' WHERE id = ?`, [cart.id]);
    // A×1 was added after the order was placed: it stays.
    await publish(stack, 'orders.order.placed', {
      orderId: newId(), number: 'SO-1', customerId: user.id, cartId: cart.id, couponCode: 'SAVE10', lines: [orderLine(a, 2), orderLine(b, 1)],
      currency: 'EUR', subtotal: 400, discount: 0, shippingTotal: 0, total: 400, paymentToken: 'tok_visa',
    });
    await eventually(async () => (await stack.gql(CART, {}, user.token)).data.cart.lines.length === 1, 'cart emptied');
    const after = (await stack.gql(CART, {}, user.token)).data.cart;
    expect(after).toMatchObject({ couponCode: null, lines: [{ quantity: 1, product: { id: a } }], subtotal: { amount: 100 } });
  });
});

describe('orders.order.cancelled', () => {
  const cancelled = (user: TestUser, cartId: string, previousStatus: string, lines: ReturnType<typeof orderLine>[], couponCode: string | null) =>
    publish(stack, 'orders.order.cancelled', {
      orderId: newId(), number: 'SO-3', customerId: user.id, cartId, reason: 'Payment declined', previousStatus, couponCode, lines,
    });

  it('gives a pending order\'s lines and coupon back to its cart, added to what it holds now', async () => {
    const [a, b] = [await sellable(stack, admin.token, 100, 30), await sellable(stack, admin.token, 200, 10)];
    const user = await registerUser(stack);
    const cart = await add(stack, { productId: a, quantity: 19 }, user.token);
    await cancelled(user, cart.id, 'PENDING', [orderLine(a, 2), orderLine(b, 3)], 'SAVE10');
    await eventually(async () => (await stack.gql(CART, {}, user.token)).data.cart.lines.length === 2, 'lines given back');
    const after = (await stack.gql(CART, {}, user.token)).data.cart;
    // A line holds at most 20 units.
    expect(quantities(after)).toEqual({ [a]: 20, [b]: 3 });
    expect(after.couponCode).toBe('SAVE10');
  });

  it('leaves the cart alone for an order cancelled after it was confirmed', async () => {
    const a = await sellable(stack, admin.token, 100, 10);
    const user = await registerUser(stack);
    const cart = await add(stack, { productId: a, quantity: 1 }, user.token);
    const before = await handled('cart-order-cancelled');
    await cancelled(user, cart.id, 'CONFIRMED', [orderLine(a, 2)], null);
    await consumerCaughtUp(stack, 'cart-order-cancelled');
    expect(await handled('cart-order-cancelled')).toBe(before);
    expect(quantities((await stack.gql(CART, {}, user.token)).data.cart)).toEqual({ [a]: 1 });
  });
});

describe('orders.order.placed racing an addToCart', () => {
  it('takes the ordered unit out of a line that an add holding the cart grew meanwhile', async () => {
    const a = await sellable(stack, admin.token, 100, 10);
    const user = await registerUser(stack);
    const cart = await add(stack, { productId: a, quantity: 1 }, user.token);
    // An add of the same product holds the cart (as addToCart does: cart row first) while the placed order arrives.
    const adding = heldTransaction(stack.subgraphs.cart!.orm.em.fork(), async (tx) => {
      await tx.execute('SELECT id FROM carts WHERE id = ? FOR UPDATE', [cart.id]);
      await tx.execute('UPDATE cart_lines SET quantity = quantity + 1 WHERE cart_id = ? AND product_id = ?', [cart.id, a]);
    });
    await adding.holding;
    await publish(stack, 'orders.order.placed', {
      orderId: newId(), number: 'SO-2', customerId: user.id, cartId: cart.id, couponCode: null, lines: [orderLine(a, 1)],
      currency: 'EUR', subtotal: 100, discount: 0, shippingTotal: 0, total: 100, paymentToken: 'tok_visa',
    });
    await eventually(async () => (await cartSql(stack,
      "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")).length > 0, 'the order waiting for the cart');
    adding.release();
    await adding.committed;
    await consumerCaughtUp(stack, 'cart-order-placed');
    expect(quantities((await stack.gql(CART, {}, user.token)).data.cart)).toEqual({ [a]: 1 });
  });
});

describe('projections', () => {
  it('keeps the newest product and stock whatever order events arrive in', async () => {
    const productId = newId();
    const t = Date.now();
    const data = (amount: number, name: string) => ({ productId, slug: `p-${productId}`, name, price: { amount, currency: 'EUR' }, categoryId: null });
    const events = [
      await publish(stack, 'catalog.product.updated', data(700, 'Newest'), { occurredAt: new Date(t) }),
      await publish(stack, 'catalog.product.created', data(500, 'Oldest'), { occurredAt: new Date(t - 2000) }),
      await publish(stack, 'catalog.product.updated', data(600, 'Older'), { occurredAt: new Date(t - 1000) }),
      await publish(stack, 'inventory.stock.changed', { productId, onHand: 3, reserved: 0, available: 3, reason: 'SET_STOCK', version: 5 }),
      await publish(stack, 'inventory.stock.changed', { productId, onHand: 9, reserved: 0, available: 9, reason: 'SET_STOCK', version: 4 }),
    ];
    // Product events go through the inbox; stock events are version-guarded upserts without one.
    await eventually(async () => (await cartSql(stack, 'SELECT 1 FROM processed_events WHERE event_id IN (?)', [events.slice(0, 3).map((e) => e.id)])).length === 3,
      'all handled');
    await consumerCaughtUp(stack, 'cart-stock-changed');
    expect(await cartSql(stack, 'SELECT name, price_amount FROM products WHERE product_id = ?', [productId])).toEqual([{ name: 'Newest', price_amount: 700 }]);
    expect(await cartSql(stack, 'SELECT available, version::int FROM stock WHERE product_id = ?', [productId])).toEqual([{ available: 3, version: 5 }]);
  });
});
