import { newId } from '@shop/platform';
import { releaseAbandonedClaims } from '@shop/discounts';
import { startStack, Stack } from '../support/stack';
import { codes, gql, ok } from '../support/graphql-client';
import { TestUser, registerUser, userWithRole } from '../support/users';
import { eventually } from '../support/eventually';
import { subgraphSql } from '../support/database';
import { publish } from '../support/events';

let stack: Stack;
let admin: TestUser;
let customer: TestUser;
beforeAll(async () => {
  stack = await startStack(['accounts', 'discounts']);
  admin = await userWithRole(stack, 'ADMIN');
  customer = await registerUser(stack);
});
afterAll(async () => { await stack?.stop(); });

const CLAIM = `mutation($o: ID!, $c: String!, $s: Int!, $cur: String!) {
  claimCoupon(orderId: $o, code: $c, subtotal: $s, currency: $cur) { valid code discount errorCode message } }`;
/** What orders does at checkout: calls discounts directly, forwarding the customer's token. */
const claim = (orderId: string, code: string, token: string | null = customer.token, subtotal = 10_000) =>
  gql(stack.subgraphs.discounts!.url, CLAIM, { o: orderId, c: code, s: subtotal, cur: 'EUR' }, token);

let seq = 0;
async function coupon(vars: { kind?: string; value?: number; limit?: number }): Promise<string> {
  const code = `CLAIM${Date.now() % 1_000_000}${(seq += 1)}`;
  ok(await stack.gql(`mutation($code: String!, $kind: CouponKind!, $value: Int!, $limit: Int) {
    createCoupon(code: $code, kind: $kind, value: $value, usageLimit: $limit) { id } }`,
  { code, kind: vars.kind ?? 'PERCENT', value: vars.value ?? 10, limit: vars.limit ?? null }, admin.token), 'createCoupon');
  return code;
}
const sql = (query: string, params: unknown[] = []) => subgraphSql(stack, 'discounts', query, params);
const statusOf = async (orderId: string) => (await sql('SELECT status FROM coupon_redemptions WHERE order_id = ?', [orderId]))[0]?.status;
const timesUsed = async (code: string) =>
  ok<any[]>(await stack.gql(`{ coupons { code timesUsed } }`, {}, admin.token), 'coupons').find((c) => c.code === code).timesUsed;
const orderEvent = (orderId: string, couponCode: string) =>
  ({ orderId, number: 'SO-1', customerId: customer.id, cartId: newId(), couponCode, lines: [], currency: 'EUR', total: 9000, reason: 'test', previousStatus: 'PENDING' });

describe('claimCoupon (internal, for orders)', () => {
  it('lets exactly one of ten concurrent claims of a single-use coupon win', async () => {
    const code = await coupon({ limit: 1 });
    const answers = await Promise.all(Array.from({ length: 10 }, () => claim(newId(), code)));
    const verdicts = answers.map((a) => a.data.claimCoupon);
    expect(verdicts.filter((v) => v.valid)).toEqual([{ valid: true, code, discount: 1000, errorCode: null, message: null }]);
    expect(verdicts.filter((v) => !v.valid).map((v) => v.errorCode)).toEqual(Array(9).fill('COUPON_USAGE_LIMIT_REACHED'));
    expect(await sql('SELECT count(*)::int AS n FROM coupon_redemptions')).toEqual([{ n: 1 }]);
  });

  it('answers a repeated claim for the same order as the first, even concurrently', async () => {
    const code = await coupon({ kind: 'FIXED', value: 700, limit: 5 });
    const orderId = newId();
    const answers = await Promise.all(Array.from({ length: 5 }, () => claim(orderId, code.toLowerCase())));
    for (const a of answers) expect(a.data.claimCoupon).toEqual({ valid: true, code, discount: 700, errorCode: null, message: null });
    // A later claim for the same order, with another subtotal, still answers what the first did.
    expect((await claim(orderId, code, customer.token, 300)).data.claimCoupon.discount).toBe(700);
    expect(await sql('SELECT count(*)::int AS n FROM coupon_redemptions WHERE order_id = ?', [orderId])).toEqual([{ n: 1 }]);
    expect(codes(await claim(orderId, code, (await registerUser(stack)).token))).toEqual(['FORBIDDEN']);
  });

  it('needs a signed-in caller and is not exposed by the gateway', async () => {
    const code = await coupon({});
    expect(codes(await claim(newId(), code, null))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await stack.gql(CLAIM, { o: newId(), c: code, s: 1, cur: 'EUR' }, customer.token))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect((await claim(newId(), 'NO-SUCH-CODE')).data.claimCoupon).toMatchObject({ valid: false, errorCode: 'COUPON_NOT_FOUND' });
    expect(codes(await claim('not-an-id', code))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('redemptions through the saga', () => {
  it('counts a confirmed order, and gives the use back when it is cancelled', async () => {
    const code = await coupon({ limit: 1 });
    const orderId = newId();
    expect((await claim(orderId, code)).data.claimCoupon.valid).toBe(true);
    await publish(stack, 'orders.order.placed', {
      ...orderEvent(orderId, code), subtotal: 10_000, discount: 1000, shippingTotal: 0, total: 9000, paymentToken: 'tok_visa',
    });
    await eventually(async () => (await sql('SELECT attached_at FROM coupon_redemptions WHERE order_id = ?', [orderId]))[0].attached_at !== null, 'attached');
    await publish(stack, 'orders.order.confirmed', orderEvent(orderId, code));
    await eventually(async () => (await statusOf(orderId)) === 'CONFIRMED', 'confirmed');
    expect(await timesUsed(code)).toBe(1);
    expect((await claim(newId(), code)).data.claimCoupon.errorCode).toBe('COUPON_USAGE_LIMIT_REACHED');

    await publish(stack, 'orders.order.cancelled', orderEvent(orderId, code));
    await eventually(async () => (await statusOf(orderId)) === 'RELEASED', 'released');
    expect(await timesUsed(code)).toBe(0);
    expect((await claim(newId(), code)).data.claimCoupon.valid).toBe(true);
  });

  it('keeps a cancelled order released when its confirmation is handled after the cancellation', async () => {
    const code = await coupon({});
    const orderId = newId();
    await claim(orderId, code);
    await publish(stack, 'orders.order.cancelled', orderEvent(orderId, code));
    await eventually(async () => (await statusOf(orderId)) === 'RELEASED', 'released');
    const late = await publish(stack, 'orders.order.confirmed', orderEvent(orderId, code));
    await eventually(async () => (await sql('SELECT 1 FROM processed_events WHERE event_id = ?', [late.id])).length === 1, 'late event handled');
    expect(await statusOf(orderId)).toBe('RELEASED');
  });
});

describe('the sweep of abandoned claims', () => {
  it('releases old claims whose order never appeared, and revives one if the order shows up after all', async () => {
    const code = await coupon({ limit: 1 });
    const abandoned = newId();
    await claim(abandoned, code);
    const fresh = await coupon({});
    const recent = newId();
    await claim(recent, fresh);
    await sql(`UPDATE coupon_redemptions SET created_at = now() - interval '16 minutes' WHERE order_id = ?`, [abandoned]);

    // One pass of the subgraph's jobs, as the timer runs them every SWEEP_INTERVAL_MS.
    expect(await stack.subgraphs.discounts!.jobs.runAll()).toBe(1);
    expect(await statusOf(abandoned)).toBe('RELEASED');
    expect(await statusOf(recent)).toBe('PENDING');
    expect((await claim(newId(), code)).data.claimCoupon.valid).toBe(true);
    expect(await releaseAbandonedClaims(stack.subgraphs.discounts!.orm.em.fork(), 15 * 60_000)).toBe(0);

    await publish(stack, 'orders.order.placed', {
      ...orderEvent(abandoned, code), number: 'SO-2', currency: 'EUR', subtotal: 1, discount: 0, shippingTotal: 0, total: 1, paymentToken: 'tok_visa',
    });
    await eventually(async () => (await statusOf(abandoned)) === 'PENDING', 'revived');
  });
});
