import { newId } from '@shop/platform';
import { startStack, Stack } from '../support/stack';
import { codes, ok } from '../support/graphql-client';
import { TestUser, registerUser, userWithRole } from '../support/users';
import { ADD, CART, REMOVE_LINE, UPDATE_LINE, add, catalogProduct, sellable } from '../support/cart';

let stack: Stack;
let admin: TestUser;
beforeAll(async () => {
  stack = await startStack(['accounts', 'catalog', 'inventory', 'cart', 'discounts']);
  admin = await userWithRole(stack, 'ADMIN');
});
afterAll(async () => { await stack?.stop(); });

const errorsOf = async (input: Record<string, unknown>, token?: string) => ok(await stack.gql(ADD, { input }, token), 'addToCart');

describe('guest carts', () => {
  it('creates a guest cart on the first add and keeps using it by id', async () => {
    const lamp = await sellable(stack, admin.token, 1250, 10);
    const cart = await add(stack, { productId: lamp, quantity: 2 });
    expect(cart).toMatchObject({ currency: 'EUR', couponCode: null, subtotal: { amount: 2500, currency: 'EUR' } });
    expect(cart.lines).toEqual([{
      id: expect.any(String), product: { id: lamp }, quantity: 2,
      unitPrice: { amount: 1250, currency: 'EUR' }, lineTotal: { amount: 2500, currency: 'EUR' },
    }]);

    const again = await add(stack, { cartId: cart.id, productId: lamp, quantity: 3 });
    expect(again.id).toBe(cart.id);
    expect(again.lines).toHaveLength(1);
    expect(again.lines[0]).toMatchObject({ id: cart.lines[0].id, quantity: 5 });
    expect((await stack.gql(CART, { id: cart.id })).data.cart).toEqual(again);
    // Anyone holding a guest cart's id may use it; without an id an anonymous caller has no cart.
    expect((await stack.gql(CART, {})).data.cart).toBeNull();
  });

  it('refuses bad quantities, unknown products and stock it does not have, with codes, changing nothing', async () => {
    const lamp = await sellable(stack, admin.token, 1000, 5);
    const cart = await add(stack, { productId: lamp, quantity: 4 });
    const refuse = async (input: Record<string, unknown>) => (await errorsOf({ cartId: cart.id, ...input })).userErrors;

    expect(await refuse({ productId: lamp, quantity: 0 })).toEqual([expect.objectContaining({ code: 'INVALID_QUANTITY', field: ['input', 'quantity'] })]);
    expect((await refuse({ productId: lamp, quantity: -2 }))[0].code).toBe('INVALID_QUANTITY');
    expect((await refuse({ productId: lamp, quantity: 21 }))[0].code).toBe('INVALID_QUANTITY');
    expect(await refuse({ productId: newId(), quantity: 1 })).toEqual([expect.objectContaining({ code: 'PRODUCT_NOT_FOUND', field: ['input', 'productId'] })]);
    expect((await refuse({ productId: 'not-an-id', quantity: 1 }))[0].code).toBe('PRODUCT_NOT_FOUND');
    // 4 in the cart + 2 > 5 available: the line's existing quantity counts.
    const short = await errorsOf({ cartId: cart.id, productId: lamp, quantity: 2 });
    expect(short.userErrors).toEqual([expect.objectContaining({ code: 'INSUFFICIENT_STOCK', field: ['input', 'quantity'] })]);
    expect(short.cart.lines[0].quantity).toBe(4);

    // A refused first add creates no guest cart.
    const none = await errorsOf({ productId: lamp, quantity: 6 });
    expect(none).toEqual({ cart: null, userErrors: [expect.objectContaining({ code: 'INSUFFICIENT_STOCK' })] });
  });

  it('caps a line at 20 units whatever the stock', async () => {
    const lamp = await sellable(stack, admin.token, 100, 50);
    const cart = await add(stack, { productId: lamp, quantity: 20 });
    const more = await errorsOf({ cartId: cart.id, productId: lamp, quantity: 1 });
    expect(more.userErrors[0]).toMatchObject({ code: 'INVALID_QUANTITY' });
    expect(more.cart.lines[0].quantity).toBe(20);
  });

  it('refuses a product nobody counted yet (no stock)', async () => {
    const uncounted = await catalogProduct(stack, admin.token, 500);
    expect((await errorsOf({ productId: uncounted, quantity: 1 })).userErrors[0].code).toBe('INSUFFICIENT_STOCK');
  });

  it('updates and removes lines; 0 removes; a line of another cart is not found', async () => {
    const [a, b] = [await sellable(stack, admin.token, 300, 10), await sellable(stack, admin.token, 700, 3)];
    const cart = await add(stack, { productId: a, quantity: 1 });
    const withB = await add(stack, { cartId: cart.id, productId: b, quantity: 1 });
    const [lineA, lineB] = withB.lines;

    const up = ok(await stack.gql(UPDATE_LINE, { c: cart.id, l: lineA.id, q: 4 }), 'updateCartLine');
    expect(up.cart.subtotal.amount).toBe(4 * 300 + 700);
    expect(ok(await stack.gql(UPDATE_LINE, { c: cart.id, l: lineB.id, q: 4 }), 'updateCartLine').userErrors[0].code).toBe('INSUFFICIENT_STOCK');
    expect(ok(await stack.gql(UPDATE_LINE, { c: cart.id, l: lineB.id, q: -1 }), 'updateCartLine').userErrors[0].code).toBe('INVALID_QUANTITY');

    const zero = ok(await stack.gql(UPDATE_LINE, { c: cart.id, l: lineB.id, q: 0 }), 'updateCartLine');
    expect(zero.cart.lines.map((l: any) => l.id)).toEqual([lineA.id]);

    const other = await add(stack, { productId: b, quantity: 1 });
    expect(ok(await stack.gql(REMOVE_LINE, { c: other.id, l: lineA.id }), 'removeCartLine').userErrors[0].code).toBe('LINE_NOT_FOUND');
    const removed = ok(await stack.gql(REMOVE_LINE, { c: cart.id, l: lineA.id }), 'removeCartLine');
    expect(removed).toMatchObject({ userErrors: [], cart: { lines: [], subtotal: { amount: 0 } } });
  });
});

describe('signed-in carts', () => {
  it("gives a user one cart, and another user's cart id yields nothing", async () => {
    const lamp = await sellable(stack, admin.token, 999, 10);
    const [ann, bob] = [await registerUser(stack, 'Ann'), await registerUser(stack, 'Bob')];
    const first = await add(stack, { productId: lamp, quantity: 1 }, ann.token);
    const second = await add(stack, { productId: lamp, quantity: 1 }, ann.token);
    expect(second.id).toBe(first.id);
    expect((await stack.gql(CART, {}, ann.token)).data.cart).toMatchObject({ id: first.id, lines: [{ quantity: 2 }] });
    expect((await stack.gql(`{ me { cart { id } } }`, {}, ann.token)).data.me.cart).toEqual({ id: first.id });

    for (const token of [bob.token, undefined]) {
      const attempt = await errorsOf({ cartId: first.id, productId: lamp, quantity: 1 }, token);
      expect(attempt).toEqual({ cart: null, userErrors: [expect.objectContaining({ code: 'CART_NOT_FOUND' })] });
      expect((await stack.gql(CART, { id: first.id }, token)).data.cart).toBeNull();
      const line = first.lines[0].id;
      expect(ok(await stack.gql(UPDATE_LINE, { c: first.id, l: line, q: 5 }, token), 'updateCartLine'))
        .toEqual({ cart: null, userErrors: [{ field: ['cartId'], code: 'CART_NOT_FOUND' }] });
    }
    // ADMINs may look (support), not change.
    expect((await stack.gql(CART, { id: first.id }, admin.token)).data.cart.id).toBe(first.id);
    expect((await errorsOf({ cartId: first.id, productId: lamp, quantity: 1 }, admin.token)).userErrors[0].code).toBe('CART_NOT_FOUND');
  });

  it('lets only the user and ADMINs read User.cart', async () => {
    const lamp = await sellable(stack, admin.token, 999, 10);
    const [ann, bob] = [await registerUser(stack), await registerUser(stack)];
    const cart = await add(stack, { productId: lamp, quantity: 1 }, ann.token);
    const entities = `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id cart { id } } } }`;
    const url = stack.subgraphs.cart!.url;
    const direct = (token?: string) => fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query: entities, variables: { r: [{ __typename: 'User', id: ann.id }] } }),
    }).then((r) => r.json() as Promise<any>);
    expect((await direct(bob.token)).errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await direct()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await direct(ann.token)).data._entities[0].cart).toEqual({ id: cart.id });
    expect((await direct(admin.token)).data._entities[0].cart).toEqual({ id: cart.id });
  });

  it('refuses an expired or forged token rather than serving a guest cart', async () => {
    const lamp = await sellable(stack, admin.token, 100, 5);
    expect(codes(await stack.gql(ADD, { input: { productId: lamp, quantity: 1 } }, 'forged.token.value'))).toEqual(['UNAUTHENTICATED']);
  });
});
