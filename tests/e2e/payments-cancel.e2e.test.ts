import { newId } from '@shop/platform';
import { captureOrderPayment } from '@shop/payments';
import { startStack, Stack } from '../support/stack';
import { eventually } from '../support/eventually';
import { consumerCaughtUp, publish } from '../support/events';
import {
  cancelled, paymentEvents, paymentRows, paymentsSql, placeOrder, provider, reserved,
} from '../support/payments';

let stack: Stack;
beforeAll(async () => { stack = await startStack(['accounts', 'payments']); });
afterAll(async () => { await stack?.stop(); });

async function authorizedOrder(customerId = newId()): Promise<{ orderId: string; reference: string }> {
  const orderId = await placeOrder(stack, customerId, 'tok_visa', 4999);
  await publish(stack, 'inventory.stock.reserved', reserved(orderId));
  await eventually(async () => (await paymentRows(stack, orderId))[0]?.status === 'AUTHORIZED', 'payment authorized');
  return { orderId, reference: (await paymentRows(stack, orderId))[0].provider_reference };
}

async function statusOnceCancelled(orderId: string, customerId: string): Promise<string> {
  await publish(stack, 'orders.order.cancelled', cancelled(orderId, customerId, 'CONFIRMED'));
  await consumerCaughtUp(stack, 'payments-order-cancelled');
  return (await paymentRows(stack, orderId))[0].status;
}

describe('payments of cancelled orders', () => {
  it('voids an authorized payment, and a second cancellation changes nothing', async () => {
    const customerId = newId();
    const { orderId, reference } = await authorizedOrder(customerId);
    expect(await statusOnceCancelled(orderId, customerId)).toBe('VOIDED');
    expect(provider.charge(reference).state).toBe('VOIDED');
    expect(await statusOnceCancelled(orderId, customerId)).toBe('VOIDED');
    // Voiding publishes nothing of its own: the one event stays the authorization.
    expect((await paymentEvents(stack, orderId)).map((e) => e.type)).toEqual(['payments.payment.authorized']);
  });

  it('refunds a captured payment', async () => {
    const customerId = newId();
    const { orderId, reference } = await authorizedOrder(customerId);
    await stack.subgraphs.payments!.orm.em.fork().transactional((em) => captureOrderPayment(em, provider, orderId));
    expect((await paymentRows(stack, orderId))[0].status).toBe('CAPTURED');
    expect(await statusOnceCancelled(orderId, customerId)).toBe('REFUNDED');
    expect(provider.charge(reference)).toMatchObject({ state: 'REFUNDED', captured: 4999, refunded: 4999 });
    expect(await statusOnceCancelled(orderId, customerId)).toBe('REFUNDED');
    // One refund of everything, under the cancellation's key, however often the order is cancelled.
    expect(provider.callsFor(orderId, 'refund')).toEqual([{ method: 'refund', reference, amount: 4999, idempotencyKey: `cancel:${orderId}` }]);
    expect(await paymentRows(stack, orderId)).toMatchObject([{ captured_amount: 4999, refunded_amount: 4999 }]);
  });

  it('leaves a failed payment failed', async () => {
    const customerId = newId();
    const orderId = await placeOrder(stack, customerId, 'tok_chargeDeclined');
    await publish(stack, 'inventory.stock.reserved', reserved(orderId));
    await eventually(async () => (await paymentRows(stack, orderId))[0]?.status === 'FAILED', 'payment failed');
    expect(await statusOnceCancelled(orderId, customerId)).toBe('FAILED');
  });
});

describe('a crash between the provider call and the commit', () => {
  const orderId = newId();
  // Fault injection in the real database: the first attempt to record this
  // order's authorization fails after the provider answered, as a crash would.
  // A sequence counts attempts because it survives the rollback.
  beforeAll(async () => {
    await paymentsSql(stack, 'CREATE SEQUENCE crash_attempts');
    await paymentsSql(stack, `CREATE FUNCTION crash_once() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.order_id = '${orderId}' AND NEW.status = 'AUTHORIZED' AND nextval('crash_attempts') = 1 THEN
          RAISE EXCEPTION 'simulated crash before commit';
        END IF;
        RETURN NEW;
      END $$`);
    await paymentsSql(stack, 'CREATE TRIGGER crash_once BEFORE UPDATE ON payments FOR EACH ROW EXECUTE FUNCTION crash_once()');
  });
  afterAll(async () => { await paymentsSql(stack, 'DROP TRIGGER crash_once ON payments'); });

  it('asks the provider again with the same key and gets the same single authorization', async () => {
    await publish(stack, 'orders.order.placed', {
      orderId, number: 'SO-000002', customerId: newId(), cartId: newId(), currency: 'EUR', subtotal: 1000, discount: 0, shippingTotal: 0,
      total: 1000, couponCode: null, paymentToken: 'tok_visa', lines: [],
    });
    await publish(stack, 'inventory.stock.reserved', reserved(orderId));
    await eventually(async () => (await paymentRows(stack, orderId))[0]?.status === 'AUTHORIZED', 'payment authorized after the retry');
    expect(provider.authorizeCalls.get(orderId)).toBe(2);
    const holds = provider.chargesFor(orderId);
    expect(holds).toHaveLength(1);
    expect((await paymentRows(stack, orderId))[0].provider_reference).toBe(holds[0].reference);
    expect((await paymentEvents(stack, orderId)).map((e) => e.type)).toEqual(['payments.payment.authorized']);
  });
});
