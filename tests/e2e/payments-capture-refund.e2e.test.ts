import { newId } from '@shop/platform';
import { startStack, Stack } from '../support/stack';
import { codes, gql } from '../support/graphql-client';
import { registerUser, userWithRole, TestUser } from '../support/users';
import { must } from '../support/shop';
import { eventually } from '../support/eventually';
import { consumerCaughtUp, publish, redeliver, storedEventsOf } from '../support/events';
import { paymentRows, paymentsSql, placeOrder, placed, provider, reserved } from '../support/payments';
import { ConfirmedOrder, ORDER_MONEY, approved, callsOf, confirmedOrder, moneyEvents, shipped } from '../support/payments-refunds';

let stack: Stack;
let admin: TestUser;

beforeAll(async () => {
  stack = await startStack();
  admin = await userWithRole(stack, 'ADMIN');
});
afterAll(async () => { await stack?.stop(); });

const eur = (amount: number) => ({ amount, currency: 'EUR' });

/** Order.payment through the gateway, as the order's customer sees it. */
async function paymentOf(order: ConfirmedOrder): Promise<any> {
  return (await must(stack, ORDER_MONEY, { id: order.orderId }, order.customer.token)).order.payment;
}

async function paymentReaches(order: ConfirmedOrder, expected: Record<string, unknown>, ms = 15_000): Promise<any> {
  return eventually(async () => {
    const payment = await paymentOf(order);
    return Object.entries(expected).every(([k, v]) => JSON.stringify(payment[k]) === JSON.stringify(v)) && payment;
  }, `payment of ${order.orderId} reaches ${JSON.stringify(expected)}`, ms);
}

async function shippedAndCaptured(order: ConfirmedOrder): Promise<void> {
  await publish(stack, 'shipping.shipment.shipped', shipped(order.orderId, order.customer.id));
  await paymentReaches(order, { status: 'CAPTURED', capturedAmount: eur(order.total) });
}

function returnOf(order: ConfirmedOrder, lineIndexes: number[], final: boolean, returnId = newId()) {
  const lines = lineIndexes.map((i) => order.lines[i]);
  const refund = lines.reduce((sum, l) => sum + l.lineTotal, 0);
  return approved({ orderId: order.orderId, customerId: order.customer.id, lines }, refund, final, returnId);
}

function refundRows(orderId: string): Promise<any[]> {
  return paymentsSql(stack, `SELECT r.* FROM refunds r JOIN payments p ON p.id = r.payment_id WHERE p.order_id = ? ORDER BY r.created_at`, [orderId]);
}

describe('capture when the order ships', () => {
  let order: ConfirmedOrder;

  it('captures the authorized payment in full, once, however often the order is reported shipped', async () => {
    order = await confirmedOrder(stack, admin, await registerUser(stack), [{ price: 2500, quantity: 1 }, { price: 1000, quantity: 2 }]);
    expect(order.total).toBe(2500 + 2000 + 499);
    expect(await paymentOf(order)).toMatchObject({ status: 'AUTHORIZED', capturedAmount: eur(0), refundedAmount: eur(0) });

    await shippedAndCaptured(order);
    expect(await paymentOf(order)).toMatchObject({ status: 'CAPTURED', amount: eur(4999), capturedAmount: eur(4999), refundedAmount: eur(0) });
    const sent = (await storedEventsOf(stack, 'shipping.shipment.shipped')).filter((e) => e.event.data.orderId === order.orderId);
    await redeliver(stack, sent);
    await publish(stack, 'shipping.shipment.shipped', shipped(order.orderId, order.customer.id));
    await consumerCaughtUp(stack, 'payments-shipment-shipped');

    expect(callsOf(order.orderId, 'capture').map((c) => c.amount)).toEqual([4999]);
    const paymentId = (await paymentOf(order)).id;
    expect((await moneyEvents(stack, order.orderId)).map((e) => [e.type, e.data])).toEqual([
      ['payments.payment.captured', { orderId: order.orderId, paymentId, amount: eur(4999) }],
    ]);
  });

  it('refunds a partial return, and with the final one whatever is left, shipping included', async () => {
    const partial = returnOf(order, [1], false);
    await publish(stack, 'returns.return.approved', partial);
    expect(await paymentReaches(order, { refundedAmount: eur(2000) })).toMatchObject({ status: 'CAPTURED', capturedAmount: eur(4999) });
    expect(callsOf(order.orderId, 'refund').map((c) => [c.amount, c.idempotencyKey])).toEqual([[2000, `return:${partial.returnId}`]]);

    const final = returnOf(order, [0], true);
    expect(final.refundAmount.amount).toBe(2500);
    await publish(stack, 'returns.return.approved', final);
    expect(await paymentReaches(order, { status: 'REFUNDED' })).toMatchObject({ capturedAmount: eur(4999), refundedAmount: eur(4999) });
    expect(callsOf(order.orderId, 'refund').map((c) => [c.amount, c.idempotencyKey])).toEqual([
      [2000, `return:${partial.returnId}`], [2999, `return:${final.returnId}`],
    ]);
    const [payment] = await paymentRows(stack, order.orderId);
    expect(provider.charge(payment.provider_reference)).toMatchObject({ state: 'REFUNDED', captured: 4999, refunded: 4999 });
    expect((await refundRows(order.orderId)).map((r) => [r.return_id, r.amount, r.idempotency_key])).toEqual([
      [partial.returnId, 2000, `return:${partial.returnId}`], [final.returnId, 2999, `return:${final.returnId}`],
    ]);
    const refunded = (await moneyEvents(stack, order.orderId)).filter((e) => e.type === 'payments.payment.refunded').map((e) => e.data);
    expect(refunded).toEqual([
      { orderId: order.orderId, paymentId: payment.id, returnId: partial.returnId, amount: eur(2000), refundedTotal: eur(2000), fullyRefunded: false },
      { orderId: order.orderId, paymentId: payment.id, returnId: final.returnId, amount: eur(2999), refundedTotal: eur(4999), fullyRefunded: true },
    ]);
  });

  it("shows the amounts only to the order's customer and ADMINs", async () => {
    const stranger = await registerUser(stack);
    expect((await stack.gql(ORDER_MONEY, { id: order.orderId }, stranger.token)).data.order).toBeNull();
    expect((await must(stack, ORDER_MONEY, { id: order.orderId }, admin.token)).order.payment.refundedAmount).toEqual(eur(4999));
    const direct = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { payment { capturedAmount { amount } refundedAmount { amount } } } } }`;
    const r = { r: [{ __typename: 'Order', id: order.orderId }] };
    const asStranger = await gql(stack.subgraphs.payments!.url, direct, r, stranger.token);
    expect(codes(asStranger)).toEqual(['FORBIDDEN']);
    expect(asStranger.data._entities[0]).toEqual({ payment: null });
    expect(codes(await gql(stack.subgraphs.payments!.url, direct, r))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('refunds of returns', () => {
  it('refunds a return once when its approval comes twice at once and is redelivered', async () => {
    const order = await confirmedOrder(stack, admin, await registerUser(stack), [{ price: 1500, quantity: 1 }, { price: 700, quantity: 1 }]);
    await shippedAndCaptured(order);
    const data = returnOf(order, [0], false);
    await Promise.all([publish(stack, 'returns.return.approved', data), publish(stack, 'returns.return.approved', data)]);
    await consumerCaughtUp(stack, 'payments-return-approved');
    const copies = (await storedEventsOf(stack, 'returns.return.approved')).filter((e) => e.event.data.returnId === data.returnId);
    expect(copies).toHaveLength(2);
    await redeliver(stack, copies);
    await consumerCaughtUp(stack, 'payments-return-approved');

    expect(callsOf(order.orderId, 'refund').map((c) => c.amount)).toEqual([1500]);
    expect(await refundRows(order.orderId)).toHaveLength(1);
    expect(await paymentOf(order)).toMatchObject({ status: 'CAPTURED', capturedAmount: eur(order.total), refundedAmount: eur(1500) });
    expect((await moneyEvents(stack, order.orderId)).map((e) => e.type)).toEqual(['payments.payment.captured', 'payments.payment.refunded']);
  });

  it('waits with a return approved before the capture, and refunds it once the payment is captured', async () => {
    const order = await confirmedOrder(stack, admin, await registerUser(stack), [{ price: 1200, quantity: 1 }, { price: 800, quantity: 1 }]);
    await publish(stack, 'returns.return.approved', returnOf(order, [1], false));
    await new Promise((r) => setTimeout(r, 300));
    expect(callsOf(order.orderId, 'refund')).toEqual([]);
    expect(await paymentOf(order)).toMatchObject({ status: 'AUTHORIZED', refundedAmount: eur(0) });

    await publish(stack, 'shipping.shipment.shipped', shipped(order.orderId, order.customer.id));
    expect(await paymentReaches(order, { refundedAmount: eur(800) }, 30_000)).toMatchObject({ status: 'CAPTURED', capturedAmount: eur(order.total) });
    await consumerCaughtUp(stack, 'payments-return-approved');
    expect(callsOf(order.orderId, 'refund').map((c) => c.amount)).toEqual([800]);
  });
});

describe('shipments payments cannot capture at once', () => {
  it('retries a shipment whose payment is not made yet', async () => {
    const customerId = newId();
    const orderId = newId();
    await publish(stack, 'shipping.shipment.shipped', shipped(orderId, customerId));
    await new Promise((r) => setTimeout(r, 300));
    expect(callsOf(orderId, 'capture')).toEqual([]);

    await publish(stack, 'orders.order.placed', placed(orderId, customerId, 'tok_visa', 3000));
    await publish(stack, 'inventory.stock.reserved', reserved(orderId));
    await eventually(async () => (await paymentRows(stack, orderId))[0]?.status === 'CAPTURED', 'captured after the retry', 30_000);
    expect(callsOf(orderId, 'capture').map((c) => c.amount)).toEqual([3000]);
  });

  it('drops a shipment of a failed payment', async () => {
    const orderId = await placeOrder(stack, newId(), 'tok_chargeDeclined');
    await publish(stack, 'inventory.stock.reserved', reserved(orderId));
    await eventually(async () => (await paymentRows(stack, orderId))[0]?.status === 'FAILED', 'payment failed');
    await publish(stack, 'shipping.shipment.shipped', shipped(orderId, newId()));
    await consumerCaughtUp(stack, 'payments-shipment-shipped');
    // Caught up means acknowledged: a handler that threw would still hold the event for a redelivery.
    expect((await paymentRows(stack, orderId))[0]).toMatchObject({ status: 'FAILED', captured_amount: 0 });
    expect(await moneyEvents(stack, orderId)).toEqual([]);
  });
});
