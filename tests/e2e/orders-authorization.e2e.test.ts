import { startStack, Stack } from '../support/stack';
import { codes, gql } from '../support/graphql-client';
import { registerUser, userWithRole, TestUser } from '../support/users';
import { ADDRESS, CHECKOUT, ORDER_STATE, addToCart, must, productWithStock, settledOrder, shippingMethodId } from '../support/shop';

let stack: Stack;
let admin: TestUser;
let owner: TestUser;
let stranger: TestUser;
let orderId: string;
let cartId: string;

beforeAll(async () => {
  stack = await startStack();
  admin = await userWithRole(stack, 'ADMIN');
  [owner, stranger] = await Promise.all([registerUser(stack), registerUser(stack)]);
  const productId = await productWithStock(stack, admin, 900, 10);
  cartId = (await addToCart(stack, { productId, quantity: 1 }, owner.token)).cart.id;
  const placed = await must(stack, CHECKOUT, {
    i: { cartId, shippingAddress: ADDRESS, shippingMethodId: await shippingMethodId(stack), paymentToken: 'tok_visa', idempotencyKey: 'authz' },
  }, owner.token);
  orderId = placed.checkout.order.id;
  await settledOrder(stack, orderId, owner.token);
});
afterAll(async () => { await stack?.stop(); });

describe("someone else's order and cart", () => {
  it('cannot be read through the gateway, only by the owner and ADMINs', async () => {
    expect((await stack.gql(ORDER_STATE, { id: orderId }, stranger.token)).data.order).toBeNull();
    expect(codes(await stack.gql(ORDER_STATE, { id: orderId }))).toEqual(['UNAUTHENTICATED']);
    expect((await stack.gql(ORDER_STATE, { id: orderId }, owner.token)).data.order.id).toBe(orderId);
    expect((await stack.gql(ORDER_STATE, { id: orderId }, admin.token)).data.order.id).toBe(orderId);
    expect((await must(stack, '{ orders { totalCount } }', {}, stranger.token)).orders.totalCount).toBe(0);
    const all = await must(stack, '{ orders(first: 100) { edges { node { id } } } }', {}, admin.token);
    expect(all.orders.edges.map((e: any) => e.node.id)).toContain(orderId);
  });

  it('cannot be cancelled by another customer', async () => {
    const res = await must(stack, 'mutation($id: ID!) { cancelOrder(id: $id) { order { id } userErrors { code } } }', { id: orderId }, stranger.token);
    expect(res.cancelOrder).toEqual({ order: null, userErrors: [{ code: 'ORDER_NOT_FOUND' }] });
    expect((await stack.gql(ORDER_STATE, { id: orderId }, owner.token)).data.order.status).toBe('CONFIRMED');
  });

  it('cannot be read straight at the orders and payments subgraphs', async () => {
    const ordersUrl = stack.subgraphs.orders!.url;
    const asStranger = await gql(ordersUrl, `query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { id total { amount } } } }`,
      { r: [{ __typename: 'Order', id: orderId }] }, stranger.token);
    expect(asStranger.data._entities[0]).toBeNull();
    expect(codes(asStranger)).toEqual(['FORBIDDEN']);
    const payments = await gql(stack.subgraphs.payments!.url, `query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { payment { status } } } }`,
      { r: [{ __typename: 'Order', id: orderId }] }, stranger.token);
    expect(codes(payments)).toEqual(['FORBIDDEN']);
  });

  it("cannot be used: another user's cart gives nothing", async () => {
    const res = await must(stack, 'query($id: ID) { cart(id: $id) { id } }', { id: cartId }, stranger.token);
    expect(res.cart).toBeNull();
    const checkout = await must(stack, CHECKOUT, {
      i: { cartId, shippingAddress: ADDRESS, shippingMethodId: await shippingMethodId(stack), paymentToken: 'tok_visa', idempotencyKey: 'steal' },
    }, stranger.token);
    expect(checkout.checkout).toMatchObject({ order: null, userErrors: [{ code: 'CART_NOT_FOUND' }] });
  });

  it('refuses checkout input that is malformed, with field paths', async () => {
    const res = await must(stack, CHECKOUT, {
      i: { cartId: 'nope', shippingAddress: { ...ADDRESS, country: 'France' }, shippingMethodId: 'x', paymentToken: '', idempotencyKey: 'k'.repeat(101) },
    }, owner.token);
    expect(res.checkout.order).toBeNull();
    expect(res.checkout.userErrors.map((e: any) => e.field.join('.')).sort()).toEqual([
      'input.cartId', 'input.idempotencyKey', 'input.paymentToken', 'input.shippingAddress.country',
    ]);
    expect(codes(await stack.gql(CHECKOUT, { i: { cartId, shippingAddress: ADDRESS, shippingMethodId: 'x', paymentToken: 't', idempotencyKey: 'a' } })))
      .toEqual(['UNAUTHENTICATED']);
  });
});
