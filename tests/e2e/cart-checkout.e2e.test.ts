import { startStack, Stack } from '../support/stack';
import { codes, gql, ok } from '../support/graphql-client';
import { TestUser, registerUser, userWithRole } from '../support/users';
import { eventually } from '../support/eventually';
import { publish } from '../support/events';
import { ADD, CART, add, catalogProduct, reprice, sellable } from '../support/cart';

let stack: Stack;
let admin: TestUser;
beforeAll(async () => {
  stack = await startStack(['accounts', 'catalog', 'inventory', 'cart']);
  admin = await userWithRole(stack, 'ADMIN');
});
afterAll(async () => { await stack?.stop(); });

const errorsOf = async (input: Record<string, unknown>) => ok(await stack.gql(ADD, { input }), 'addToCart');

const CHECKOUT_CART = `query($id: ID!) { checkoutCart(id: $id) { id ownerId currency couponCode subtotal lines { lineId productId name quantity unitPrice } } }`;
/** What orders does: calls the cart subgraph directly, forwarding the caller's token. */
const checkoutCart = (id: string, token?: string) => gql(stack.subgraphs.cart!.url, CHECKOUT_CART, { id }, token);

describe('prices', () => {
  it('shows a price change at once, from the catalog', async () => {
    const lamp = await sellable(stack, admin.token, 2000, 10);
    const cart = await add(stack, { productId: lamp, quantity: 2 });
    await reprice(stack, admin.token, lamp, 1500);
    const now = (await stack.gql(CART, { id: cart.id })).data.cart;
    expect(now.lines[0]).toMatchObject({ unitPrice: { amount: 1500, currency: 'EUR' }, lineTotal: { amount: 3000 } });
    expect(now.subtotal).toEqual({ amount: 3000, currency: 'EUR' });
  });

  it('converts other currencies at the projected rate, and refuses them before a rate is known', async () => {
    const usd = await catalogProduct(stack, admin.token, 1000, 'USD');
    await stack.gql(`mutation($p: ID!) { setStock(productId: $p, onHand: 5) { available } }`, { p: usd }, admin.token);
    await eventually(async () => (await errorsOf({ productId: usd, quantity: 1 })).userErrors[0]?.code !== 'INSUFFICIENT_STOCK', 'stock projected');
    expect((await errorsOf({ productId: usd, quantity: 1 })).userErrors).toEqual([expect.objectContaining({ code: 'PRICE_UNAVAILABLE' })]);

    await publish(stack, 'catalog.exchange-rate.set', { currency: 'USD', rate: '1.25', baseCurrency: 'EUR' });
    await eventually(async () => (await errorsOf({ productId: usd, quantity: 1 })).userErrors.length === 0, 'rate projected');
    const priced = await add(stack, { productId: usd, quantity: 3 });
    // USD 10.00 at 1.25 USD per EUR is EUR 8.00.
    expect(priced.lines[0].unitPrice).toEqual({ amount: 800, currency: 'EUR' });
    expect(priced.subtotal).toEqual({ amount: 2400, currency: 'EUR' });

    // An older rate event arriving late changes nothing.
    await publish(stack, 'catalog.exchange-rate.set', { currency: 'USD', rate: '2', baseCurrency: 'EUR' }, { occurredAt: new Date(Date.now() - 3600_000) });
    await publish(stack, 'catalog.exchange-rate.set', { currency: 'USD', rate: '1.6', baseCurrency: 'EUR' });
    await eventually(async () => (await stack.gql(CART, { id: priced.id })).data.cart.lines[0].unitPrice.amount === 625, 'new rate applied');
  });
});

describe('checkoutCart (internal, for orders)', () => {
  it("gives the owner their cart with current prices and names, and nobody else anything", async () => {
    const [a, b] = [await sellable(stack, admin.token, 1250, 10), await sellable(stack, admin.token, 799, 10)];
    const [ann, bob] = [await registerUser(stack), await registerUser(stack)];
    const cart = await add(stack, { productId: a, quantity: 2 }, ann.token);
    await add(stack, { productId: b, quantity: 3 }, ann.token);

    const own = await checkoutCart(cart.id, ann.token);
    expect(own.errors).toBeUndefined();
    expect(own.data.checkoutCart).toEqual({
      id: cart.id, ownerId: ann.id, currency: 'EUR', couponCode: null, subtotal: 2 * 1250 + 3 * 799,
      lines: [
        { lineId: cart.lines[0].id, productId: a, name: expect.stringMatching(/^Lamp /), quantity: 2, unitPrice: 1250 },
        { lineId: expect.any(String), productId: b, name: expect.stringMatching(/^Lamp /), quantity: 3, unitPrice: 799 },
      ],
    });
    expect((await checkoutCart(cart.id, bob.token)).data.checkoutCart).toBeNull();
    expect((await checkoutCart(cart.id, admin.token)).data.checkoutCart).toBeNull();
    expect(codes(await checkoutCart(cart.id))).toEqual(['UNAUTHENTICATED']);
    expect((await checkoutCart('not-an-id', ann.token)).data.checkoutCart).toBeNull();

    // A guest cart cannot be checked out, even by someone holding its id.
    const guest = await add(stack, { productId: a, quantity: 1 });
    expect((await checkoutCart(guest.id, ann.token)).data.checkoutCart).toBeNull();
  });

  it('is not exposed by the gateway', async () => {
    const res = await stack.gql(CHECKOUT_CART, { id: '00000000-0000-4000-8000-000000000000' });
    expect(codes(res)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('refuses a cart with a line that cannot be priced in EUR, which the cart shows apart', async () => {
    const [a, b] = [await sellable(stack, admin.token, 1000, 10), await sellable(stack, admin.token, 500, 10)];
    const user = await registerUser(stack);
    const cart = await add(stack, { productId: a, quantity: 1 }, user.token);
    await add(stack, { productId: b, quantity: 2 }, user.token);
    // Moved to a currency whose rate the cart has not received: no EUR price now.
    await reprice(stack, admin.token, b, 900, 'GBP');

    const shown = (await stack.gql(CART, { id: cart.id }, user.token)).data.cart;
    expect(shown.lines[1]).toMatchObject({ unitPrice: { amount: 900, currency: 'GBP' }, lineTotal: { amount: 1800, currency: 'GBP' } });
    expect(shown.subtotal).toEqual({ amount: 1000, currency: 'EUR' });
    const refused = await checkoutCart(cart.id, user.token);
    expect(codes(refused)).toEqual(['BAD_USER_INPUT']);
    expect(refused.errors![0].message).toMatch(/to EUR/);
  });
});

describe('batching', () => {
  it('reads a cart of 20 lines with as many statements as a cart of 1', async () => {
    const products = await Promise.all(Array.from({ length: 20 }, (_, i) => sellable(stack, admin.token, 100 + i, 5)));
    const small = await add(stack, { productId: products[0], quantity: 1 });
    let big = await add(stack, { productId: products[0], quantity: 1 });
    for (const p of products.slice(1)) big = await add(stack, { cartId: big.id, productId: p, quantity: 1 });
    expect(big.lines).toHaveLength(20);

    const cost = async (id: string) => {
      const counter = stack.subgraphs.cart!.statements;
      const before = counter.count;
      const res = await stack.gql(CART, { id });
      expect(res.errors).toBeUndefined();
      return counter.count - before;
    };
    const [one, twenty] = [await cost(small.id), await cost(big.id)];
    expect(twenty).toBe(one);
    expect(one).toBeLessThanOrEqual(3); // the cart, its lines, their products
  });
});
