import { startStack, Stack } from '../support/stack';
import { codes, ok } from '../support/graphql-client';
import { TestUser, registerUser, userWithRole } from '../support/users';
import { subgraphSql } from '../support/database';
import { APPLY, UPDATE_LINE, add, sellable } from '../support/cart';

let stack: Stack;
let admin: TestUser;
let customer: TestUser;
beforeAll(async () => {
  stack = await startStack(['accounts', 'catalog', 'inventory', 'cart', 'discounts']);
  admin = await userWithRole(stack, 'ADMIN');
  customer = await registerUser(stack);
});
afterAll(async () => { await stack?.stop(); });

const CREATE = `mutation($code: String!, $kind: CouponKind!, $value: Int!, $min: Int, $limit: Int, $ends: DateTime, $starts: DateTime) {
  createCoupon(code: $code, kind: $kind, value: $value, minSubtotal: $min, usageLimit: $limit, endsAt: $ends, startsAt: $starts) {
    id code kind value minSubtotal startsAt endsAt usageLimit timesUsed } }`;
const COUPONS = `{ coupons { code kind value timesUsed } }`;
let seq = 0;
const uniqueCode = (prefix: string) => `${prefix}${Date.now() % 1_000_000}${(seq += 1)}`;

async function coupon(vars: Record<string, unknown>): Promise<string> {
  return ok(await stack.gql(CREATE, { kind: 'PERCENT', value: 10, ...vars, code: vars.code ?? uniqueCode('C') }, admin.token), 'createCoupon').code;
}
const discountsSql = (sql: string, params: unknown[] = []) => subgraphSql(stack, 'discounts', sql, params);
const apply = async (cartId: string, code: string, token?: string) => ok(await stack.gql(APPLY, { c: cartId, code }, token), 'applyCoupon');

describe('coupons (ADMIN)', () => {
  it('creates coupons, upper-casing codes, and lists them; nobody else may', async () => {
    const code = uniqueCode('welcome');
    const created = ok(await stack.gql(CREATE, { code: ` ${code} `, kind: 'FIXED', value: 500, min: 2000, limit: 3 }, admin.token), 'createCoupon');
    expect(created).toMatchObject({ code: code.toUpperCase(), kind: 'FIXED', value: 500, minSubtotal: 2000, usageLimit: 3, timesUsed: 0, endsAt: null });
    expect(ok(await stack.gql(COUPONS, {}, admin.token), 'coupons')).toContainEqual({ code: code.toUpperCase(), kind: 'FIXED', value: 500, timesUsed: 0 });

    expect(codes(await stack.gql(CREATE, { code: uniqueCode('X'), kind: 'FIXED', value: 1 }))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await stack.gql(CREATE, { code: uniqueCode('X'), kind: 'FIXED', value: 1 }, customer.token))).toEqual(['FORBIDDEN']);
    expect(codes(await stack.gql(COUPONS))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await stack.gql(COUPONS, {}, customer.token))).toEqual(['FORBIDDEN']);
  });

  it('refuses bad input and duplicate codes as BAD_USER_INPUT naming the field', async () => {
    const code = await coupon({});
    const refusal = async (vars: Record<string, unknown>) => {
      const res = await stack.gql(CREATE, { code: uniqueCode('B'), kind: 'PERCENT', value: 10, ...vars }, admin.token);
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      return res.errors![0].extensions!.field;
    };
    expect(await refusal({ code: code.toLowerCase() })).toBe('code');
    expect(await refusal({ code: 'a b' })).toBe('code');
    expect(await refusal({ value: 101 })).toBe('value');
    expect(await refusal({ kind: 'FIXED', value: 0 })).toBe('value');
    expect(await refusal({ min: -1 })).toBe('minSubtotal');
    expect(await refusal({ limit: 0 })).toBe('usageLimit');
    expect(await refusal({ ends: new Date(Date.now() - 1000).toISOString() })).toBe('endsAt');
    const soon = Date.now() + 3600_000;
    expect(await refusal({ starts: new Date(soon).toISOString(), ends: new Date(soon - 1).toISOString() })).toBe('endsAt');
  });
});

describe('coupons on carts, through the gateway', () => {
  let cartId: string;
  let lineId: string;
  beforeAll(async () => {
    const lamp = await sellable(stack, admin.token, 5000, 10);
    const cart = await add(stack, { productId: lamp, quantity: 2 }, customer.token);
    cartId = cart.id;
    lineId = cart.lines[0].id;
  });

  it('prices PERCENT and FIXED coupons into discount and total', async () => {
    const percent = await coupon({ kind: 'PERCENT', value: 15 });
    expect(await apply(cartId, percent.toLowerCase(), customer.token)).toEqual({
      userErrors: [],
      cart: { id: cartId, couponCode: percent, subtotal: { amount: 10_000 }, discount: { amount: 1500, currency: 'EUR' }, total: { amount: 8500, currency: 'EUR' } },
    });
    const fixed = await coupon({ kind: 'FIXED', value: 2500 });
    expect((await apply(cartId, fixed, customer.token)).cart).toMatchObject({ couponCode: fixed, discount: { amount: 2500 }, total: { amount: 7500 } });
    const huge = await coupon({ kind: 'FIXED', value: 50_000 });
    expect((await apply(cartId, huge, customer.token)).cart).toMatchObject({ discount: { amount: 10_000 }, total: { amount: 0 } });
  });

  it("answers invalid coupons with discounts' codes and keeps the cart's coupon", async () => {
    const kept = await coupon({ kind: 'FIXED', value: 100 });
    await apply(cartId, kept, customer.token);
    const min = await coupon({ min: 20_000 });
    const notStarted = await coupon({ starts: new Date(Date.now() + 3600_000).toISOString() });
    const expired = await coupon({ ends: new Date(Date.now() + 3600_000).toISOString() });
    await discountsSql(`UPDATE coupons SET ends_at = now() - interval '1 minute' WHERE code = ?`, [expired]);
    for (const [code, errorCode] of [[min, 'COUPON_MIN_SUBTOTAL'], [notStarted, 'COUPON_NOT_STARTED'], [expired, 'COUPON_EXPIRED'], ['NOPE-NOT-HERE', 'COUPON_NOT_FOUND']]) {
      const answer = await apply(cartId, code, customer.token);
      expect(answer.userErrors).toEqual([{ field: ['code'], message: expect.any(String), code: errorCode }]);
      expect(answer.cart).toMatchObject({ couponCode: kept, discount: { amount: 100 } });
    }
    const stranger = await registerUser(stack);
    expect((await apply(cartId, kept, stranger.token))).toEqual({ cart: null, userErrors: [expect.objectContaining({ code: 'CART_NOT_FOUND' })] });
  });

  it('takes nothing off once the coupon no longer applies to the cart', async () => {
    const min = await coupon({ kind: 'FIXED', value: 1000, min: 10_000 });
    expect((await apply(cartId, min, customer.token)).cart.discount.amount).toBe(1000);
    const down = ok(await stack.gql(`mutation($c: ID!, $l: ID!) { updateCartLine(cartId: $c, lineId: $l, quantity: 1) {
      cart { couponCode subtotal { amount } discount { amount } total { amount } } } }`, { c: cartId, l: lineId }, customer.token), 'updateCartLine');
    expect(down.cart).toEqual({ couponCode: min, subtotal: { amount: 5000 }, discount: { amount: 0 }, total: { amount: 5000 } });
    ok(await stack.gql(UPDATE_LINE, { c: cartId, l: lineId, q: 2 }, customer.token), 'updateCartLine');
    await discountsSql(`UPDATE coupons SET ends_at = now() - interval '1 second' WHERE code = ?`, [min]);
    const cart = (await stack.gql(`query($id: ID) { cart(id: $id) { discount { amount } total { amount } } }`, { id: cartId }, customer.token)).data.cart;
    expect(cart).toEqual({ discount: { amount: 0 }, total: { amount: 10_000 } });
  });

  it('rounds percentages half away from zero, for guests too, and takes coupons off', async () => {
    const odd = await sellable(stack, admin.token, 1005, 5);
    const guest = await add(stack, { productId: odd, quantity: 1 });
    const ten = await coupon({ kind: 'PERCENT', value: 10 });
    expect((await apply(guest.id, ten)).cart).toMatchObject({ discount: { amount: 101 }, total: { amount: 904 } });
    const removed = ok(await stack.gql(`mutation($c: ID!) { removeCoupon(cartId: $c) { cart { couponCode discount { amount } } userErrors { code } } }`,
      { c: guest.id }), 'removeCoupon');
    expect(removed).toEqual({ cart: { couponCode: null, discount: { amount: 0 } }, userErrors: [] });
  });
});
