import { newId } from '@shop/platform';
import { startStack, Stack } from '../support/stack';
import { registerUser } from '../support/users';
import { eventually } from '../support/eventually';
import { consumerCaughtUp, publish } from '../support/events';
import {
  cancelled, orderPayment, paymentEvents, paymentRows, placeOrder, placed, provider, reserved,
} from '../support/payments';

let stack: Stack;
beforeAll(async () => { stack = await startStack(['accounts', 'payments']); });
afterAll(async () => { await stack?.stop(); });

async function settledPayment(orderId: string): Promise<any> {
  await eventually(async () => (await paymentRows(stack, orderId)).length === 1, 'payment recorded');
  return (await paymentRows(stack, orderId))[0];
}

describe('payments in the checkout saga', () => {
  it('authorizes tok_visa once the stock is reserved, and says so once', async () => {
    const customer = await registerUser(stack);
    const orderId = await placeOrder(stack, customer.id, 'tok_visa', 2598);
    await publish(stack, 'inventory.stock.reserved', reserved(orderId));
    const payment = await settledPayment(orderId);
    expect(payment).toMatchObject({ status: 'AUTHORIZED', amount: 2598, currency: 'EUR', customer_id: customer.id, failure_reason: null });
    expect(provider.chargesFor(orderId)).toEqual([expect.objectContaining({ amount: 2598, currency: 'EUR', state: 'AUTHORIZED' })]);

    const events = await paymentEvents(stack, orderId);
    expect(events.map((e) => [e.type, e.data])).toEqual([
      ['payments.payment.authorized', { orderId, paymentId: payment.id, amount: { amount: 2598, currency: 'EUR' } }],
    ]);
    const res = await orderPayment(stack, [orderId], customer.token);
    expect(res.errors).toBeUndefined();
    expect(res.data._entities).toEqual([
      { id: orderId, payment: { id: payment.id, status: 'AUTHORIZED', amount: { amount: 2598, currency: 'EUR' }, failureReason: null } },
    ]);
  });

  it.each([
    ['tok_chargeDeclined', 'Your card was declined'],
    ['tok_made_up', 'Unknown payment token'],
  ])('fails %s with its reason and a failed event', async (token, reason) => {
    const orderId = await placeOrder(stack, newId(), token);
    await publish(stack, 'inventory.stock.reserved', reserved(orderId));
    const payment = await settledPayment(orderId);
    expect(payment).toMatchObject({ status: 'FAILED', failure_reason: reason, provider_reference: null });
    const events = await paymentEvents(stack, orderId);
    expect(events.map((e) => [e.type, e.data])).toEqual([['payments.payment.failed', { orderId, paymentId: payment.id, reason }]]);
  });

  it('pays once however often the stock is reported reserved', async () => {
    const orderId = await placeOrder(stack, newId(), 'tok_visa');
    const event = await publish(stack, 'inventory.stock.reserved', reserved(orderId), { msgID: false });
    // The same event again (a redelivery) and a second event for the same order (a producer repeating itself).
    await publish(stack, 'inventory.stock.reserved', event.data, { event, msgID: false });
    await publish(stack, 'inventory.stock.reserved', reserved(orderId));
    await consumerCaughtUp(stack, 'payments-stock-reserved');
    expect(await paymentRows(stack, orderId)).toHaveLength(1);
    expect((await paymentEvents(stack, orderId)).map((e) => e.type)).toEqual(['payments.payment.authorized']);
    expect(provider.authorizeCalls.get(orderId)).toBe(1);
  });

  it('calls the provider once per order when many orders are reserved at once, each twice', async () => {
    const orders = await Promise.all(Array.from({ length: 20 }, () => placeOrder(stack, newId(), 'tok_visa')));
    await Promise.all(orders.flatMap((orderId) => [
      publish(stack, 'inventory.stock.reserved', reserved(orderId)), publish(stack, 'inventory.stock.reserved', reserved(orderId)),
    ]));
    await consumerCaughtUp(stack, 'payments-stock-reserved');
    for (const orderId of orders) {
      expect((await paymentRows(stack, orderId)).map((p) => p.status)).toEqual(['AUTHORIZED']);
      expect(provider.authorizeCalls.get(orderId)).toBe(1);
      expect(await paymentEvents(stack, orderId)).toHaveLength(1);
    }
  });

  it('waits for a placement that lags behind the reservation', async () => {
    const orderId = newId();
    await publish(stack, 'inventory.stock.reserved', reserved(orderId));
    await publish(stack, 'orders.order.placed', placed(orderId, newId(), 'tok_visa'));
    expect((await settledPayment(orderId)).status).toBe('AUTHORIZED');
    expect(await paymentEvents(stack, orderId)).toHaveLength(1);
  });

  it('charges nothing when the order is cancelled before its stock is reserved', async () => {
    const customerId = newId();
    const orderId = await placeOrder(stack, customerId, 'tok_visa');
    await publish(stack, 'orders.order.cancelled', cancelled(orderId, customerId));
    await consumerCaughtUp(stack, 'payments-order-cancelled');
    await publish(stack, 'inventory.stock.reserved', reserved(orderId));
    await consumerCaughtUp(stack, 'payments-stock-reserved');
    expect(await paymentRows(stack, orderId)).toEqual([]);
    expect(provider.authorizeCalls.get(orderId)).toBeUndefined();
    expect(await paymentEvents(stack, orderId)).toEqual([]);
  });

  it('charges nothing when the cancellation overtakes the placement', async () => {
    const customerId = newId();
    const orderId = newId();
    await publish(stack, 'orders.order.cancelled', cancelled(orderId, customerId));
    await consumerCaughtUp(stack, 'payments-order-cancelled');
    await publish(stack, 'orders.order.placed', placed(orderId, customerId, 'tok_visa'));
    await consumerCaughtUp(stack, 'payments-order-placed');
    await publish(stack, 'inventory.stock.reserved', reserved(orderId));
    await consumerCaughtUp(stack, 'payments-stock-reserved');
    expect(await paymentRows(stack, orderId)).toEqual([]);
    expect(provider.authorizeCalls.get(orderId)).toBeUndefined();
  });
});
