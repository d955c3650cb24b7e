import { startStack, Stack } from '../support/stack';
import { registerUser, userWithRole, TestUser } from '../support/users';
import { ADDRESS, CHECKOUT, addToCart, must, productWithStock, settledOrder, shippingMethodId } from '../support/shop';
import { consumersIdle, redeliver, storedEvents } from '../support/events';

let stack: Stack;
let admin: TestUser;

beforeAll(async () => {
  stack = await startStack();
  admin = await userWithRole(stack, 'ADMIN');
});
afterAll(async () => { await stack?.stop(); });

const ORDER = `query($id: ID!) { order(id: $id) { status cancellationReason discount { amount } payment { status } statusHistory { status } } }`;
const STATE = `query($p: ID!) { product(id: $p) { stock { onHand reserved available } } coupons { code timesUsed } }`;

describe('the checkout saga under redelivery', () => {
  it('ends in the same state when every saga event is delivered a second time', async () => {
    const productId = await productWithStock(stack, admin, 3000, 10);
    await must(stack, 'mutation { createCoupon(code: "TWICE10", kind: PERCENT, value: 10) { id } }', {}, admin.token);
    const methodId = await shippingMethodId(stack);
    const place = async (token: string, paymentToken: string, coupon: boolean) => {
      const { cart } = await addToCart(stack, { productId, quantity: 2 }, token);
      if (coupon) await must(stack, 'mutation($c: ID!) { applyCoupon(cartId: $c, code: "TWICE10") { userErrors { code } } }', { c: cart.id }, token);
      const placed = await must(stack, CHECKOUT, {
        i: { cartId: cart.id, shippingAddress: ADDRESS, shippingMethodId: methodId, paymentToken, idempotencyKey: 'k' },
      }, token);
      return placed.checkout.order.id as string;
    };
    const [paid, declined, cancelled] = await Promise.all([registerUser(stack), registerUser(stack), registerUser(stack)]);
    const paidId = await place(paid.token, 'tok_visa', true);
    const declinedId = await place(declined.token, 'tok_chargeDeclined', false);
    const cancelledId = await place(cancelled.token, 'tok_visa', false);
    await settledOrder(stack, paidId, paid.token);
    await settledOrder(stack, declinedId, declined.token);
    await settledOrder(stack, cancelledId, cancelled.token);
    await must(stack, 'mutation($id: ID!) { cancelOrder(id: $id) { userErrors { code } } }', { id: cancelledId }, cancelled.token);
    await consumersIdle(stack);

    const snapshot = async () => ({
      paid: (await must(stack, ORDER, { id: paidId }, paid.token)).order,
      declined: (await must(stack, ORDER, { id: declinedId }, declined.token)).order,
      cancelled: (await must(stack, ORDER, { id: cancelledId }, cancelled.token)).order,
      state: await must(stack, STATE, { p: productId }, admin.token),
      paidCart: (await must(stack, '{ cart { lines { quantity } } }', {}, paid.token)).cart,
    });
    const before = await snapshot();
    expect(before.paid).toMatchObject({ status: 'CONFIRMED', payment: { status: 'AUTHORIZED' }, discount: { amount: 600 } });
    expect(before.declined).toMatchObject({ status: 'CANCELLED', payment: { status: 'FAILED' } });
    expect(before.cancelled).toMatchObject({ status: 'CANCELLED', payment: { status: 'VOIDED' } });
    expect(before.state.product.stock).toEqual({ onHand: 8, reserved: 0, available: 8 });
    expect(before.state.coupons).toEqual([{ code: 'TWICE10', timesUsed: 1 }]);

    const events = await storedEvents(stack);
    const sagaTypes = new Set(events.map((e) => e.type));
    for (const type of ['orders.order.placed', 'inventory.stock.reserved', 'payments.payment.authorized', 'payments.payment.failed',
      'orders.order.confirmed', 'orders.order.cancelled']) {
      expect(sagaTypes).toContain(type);
    }
    await redeliver(stack, events);
    await consumersIdle(stack);
    expect(await snapshot()).toEqual(before);
    // Nothing new was recorded either: the redelivered events produced no events of their own.
    await consumersIdle(stack);
    expect((await storedEvents(stack)).length).toBe(events.length * 2);
  });
});
