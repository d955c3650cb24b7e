import { newId } from '@shop/platform';
import { startStack, Stack, testConfigWithoutSweeps } from '../support/stack';
import { subgraphSql } from '../support/database';
import { eventually } from '../support/eventually';
import { heldTransaction } from '../support/held-transaction';
import { consumerCaughtUp, publish, storedEventsOf } from '../support/events';
import { placed } from '../support/payments';

// The saga steps handled in one statement outside a transaction (`handleAtOnce`): each claims its inbox row with its
// effects, writes nothing for a copy handled before, and leaves an order another writer moved meanwhile to `handle`.
let stack: Stack;
beforeAll(async () => { stack = await startStack(['accounts', 'orders', 'payments', 'shipping'], testConfigWithoutSweeps()); });
afterAll(async () => { await stack?.stop(); });

const ordersSql = <T = any>(sql: string, params: unknown[] = []) => subgraphSql<T>(stack, 'orders', sql, params);
const claimed = async (name: 'orders' | 'payments' | 'shipping', consumer: string, eventId: string) =>
  (await subgraphSql(stack, name, 'SELECT 1 FROM processed_events WHERE consumer = ? AND event_id = ?', [consumer, eventId])).length;

/** A PENDING order of one line, as checkout writes it (payments is left out of the stack: nothing else moves it). */
async function pendingOrder(): Promise<{ id: string; customerId: string }> {
  const id = newId();
  const customerId = newId();
  await ordersSql(
    `INSERT INTO orders (id, number, customer_id, cart_id, idempotency_key, status, currency, subtotal, discount, shipping_total, total,
       shipping_method_id, shipping_address, placed_at, updated_at)
     VALUES (?, ?, ?, ?, 'k', 'PENDING', 'EUR', 500, 0, 0, 500, 'standard', '{}', now(), now())`,
    [id, `SO-${id.slice(0, 8)}`, customerId, newId()]);
  await ordersSql(
    `INSERT INTO order_lines (id, order_id, product_id, product_name, quantity, unit_price, line_total, position)
     VALUES (?, ?, ?, 'Oak Lamp', 2, 250, 500, 0)`, [newId(), id, newId()]);
  return { id, customerId };
}

const statusOf = async (orderId: string) => (await ordersSql('SELECT status FROM orders WHERE id = ?', [orderId]))[0]?.status;
const history = async (orderId: string) =>
  (await ordersSql('SELECT status FROM order_status_changes WHERE order_id = ? ORDER BY at', [orderId])).map((r) => r.status);
const outboxOf = async (orderId: string) =>
  ordersSql<{ type: string; payload: any }>("SELECT type, payload FROM outbox_events WHERE payload->>'orderId' = ? ORDER BY seq", [orderId]);
const authorized = (orderId: string) => publish(stack, 'payments.payment.authorized', { orderId, paymentId: newId(), amount: { amount: 500, currency: 'EUR' } });

describe('orders: a payment outcome at once', () => {
  it('confirms a PENDING order with its history row, its events and its inbox row, and a copy changes nothing', async () => {
    const order = await pendingOrder();
    const event = await authorized(order.id);
    await eventually(async () => (await statusOf(order.id)) === 'CONFIRMED', 'confirmed');
    expect(await history(order.id)).toEqual(['CONFIRMED']);
    const events = await outboxOf(order.id);
    expect(events.map((e) => e.type)).toEqual(['orders.order.confirmed', 'orders.order.status-changed']);
    expect(events[0]!.payload).toMatchObject({
      orderId: order.id, customerId: order.customerId, total: 500, currency: 'EUR',
      lines: [{ name: 'Oak Lamp', quantity: 2, unitPrice: { amount: 250, currency: 'EUR' } }],
    });
    expect(events[1]!.payload).toMatchObject({ status: 'CONFIRMED', previousStatus: 'PENDING' });
    expect(await claimed('orders', 'orders-payment-authorized', event.id)).toBe(1);

    await publish(stack, 'payments.payment.authorized', event.data, { event, msgID: false });
    await consumerCaughtUp(stack, 'orders-payment-authorized');
    expect(await history(order.id)).toEqual(['CONFIRMED']);
    expect(await outboxOf(order.id)).toHaveLength(2);
  });

  it('cancels on a declined payment, with the reason', async () => {
    const order = await pendingOrder();
    await publish(stack, 'payments.payment.failed', { orderId: order.id, paymentId: newId(), reason: 'Card declined' });
    await eventually(async () => (await statusOf(order.id)) === 'CANCELLED', 'cancelled');
    const [cancelled] = await outboxOf(order.id);
    expect(cancelled).toMatchObject({ type: 'orders.order.cancelled', payload: { reason: 'Payment declined: Card declined', previousStatus: 'PENDING' } });
  });

  it('does not confirm an order another writer cancelled between the read and the write', async () => {
    const order = await pendingOrder();
    // A cancellation holds the order row while the authorization arrives: the statement waits for it, then finds the order moved.
    const cancelling = heldTransaction(stack.subgraphs.orders!.orm.em.fork(), async (tx) => {
      await tx.execute("UPDATE orders SET status = 'CANCELLED', cancellation_reason = 'By the customer' WHERE id = ?", [order.id]);
      await tx.execute("INSERT INTO order_status_changes (id, order_id, status, reason, at) VALUES (?, ?, 'CANCELLED', 'By the customer', now())",
        [newId(), order.id]);
    });
    await cancelling.holding;
    const event = await authorized(order.id);
    await eventually(async () => (await ordersSql(
      "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")).length > 0, 'the confirmation waiting');
    cancelling.release();
    await cancelling.committed;
    await consumerCaughtUp(stack, 'orders-payment-authorized');
    expect(await statusOf(order.id)).toBe('CANCELLED');
    expect(await history(order.id)).toEqual(['CANCELLED']);
    expect(await outboxOf(order.id)).toEqual([]);
    // `handle` took it over: it locked the order, found it CANCELLED and claimed the event.
    expect(await claimed('orders', 'orders-payment-authorized', event.id)).toBe(1);
  });
});

describe('payments: an order placed at once', () => {
  it('remembers the amount and claims the event; a later placement of the same order changes nothing', async () => {
    const orderId = newId();
    const customerId = newId();
    const first = await publish(stack, 'orders.order.placed', placed(orderId, customerId, 'tok_visa', 1200));
    await eventually(async () => (await subgraphSql(stack, 'payments', 'SELECT 1 FROM payment_intents WHERE order_id = ?', [orderId])).length === 1, 'intent');
    await consumerCaughtUp(stack, 'payments-order-placed');
    expect(await claimed('payments', 'payments-order-placed', first.id)).toBe(1);
    const second = await publish(stack, 'orders.order.placed', placed(orderId, customerId, 'tok_visa', 9900));
    await consumerCaughtUp(stack, 'payments-order-placed');
    expect(await claimed('payments', 'payments-order-placed', second.id)).toBe(1);
    expect(await subgraphSql(stack, 'payments', 'SELECT amount, cancelled FROM payment_intents WHERE order_id = ?', [orderId]))
      .toEqual([{ amount: 1200, cancelled: false }]);
  });
});

describe('shipping: a confirmation at once', () => {
  const confirmed = (orderId: string, customerId: string) => publish(stack, 'orders.order.confirmed', {
    orderId, number: `SO-${orderId.slice(0, 8)}`, customerId, cartId: newId(), couponCode: null, currency: 'EUR', total: 500,
    lines: [{ lineId: newId(), productId: newId(), name: 'Oak Lamp', quantity: 2, unitPrice: { amount: 250, currency: 'EUR' } }],
  });
  const journey = (orderId: string) => subgraphSql(stack, 'shipping',
    'SELECT s.status, t.status AS step FROM shipments s JOIN tracking_events t ON t.shipment_id = s.id WHERE s.order_id = ?', [orderId]);

  it('creates the PENDING shipment with its first step and claims the event; a copy adds no step', async () => {
    const orderId = newId();
    const event = await confirmed(orderId, newId());
    await eventually(async () => (await journey(orderId)).length === 1, 'shipment');
    await consumerCaughtUp(stack, 'shipping-order-confirmed');
    expect(await journey(orderId)).toEqual([{ status: 'PENDING', step: 'PENDING' }]);
    expect(await claimed('shipping', 'shipping-order-confirmed', event.id)).toBe(1);
    await publish(stack, 'orders.order.confirmed', event.data, { event, msgID: false });
    await consumerCaughtUp(stack, 'shipping-order-confirmed');
    expect(await journey(orderId)).toEqual([{ status: 'PENDING', step: 'PENDING' }]);
  });

  it('leaves an order whose shipment a cancellation made first to `handle`: it stays cancelled and learns the number', async () => {
    const orderId = newId();
    const customerId = newId();
    await publish(stack, 'orders.order.cancelled', {
      orderId, customerId, number: `SO-${orderId.slice(0, 8)}`, reason: 'By the customer', previousStatus: 'CONFIRMED', couponCode: null, lines: [],
    });
    await eventually(async () => (await subgraphSql(stack, 'shipping', 'SELECT 1 FROM shipments WHERE order_id = ?', [orderId])).length === 1, 'tombstone');
    const event = await confirmed(orderId, customerId);
    await consumerCaughtUp(stack, 'shipping-order-confirmed');
    expect(await subgraphSql(stack, 'shipping', 'SELECT status, order_number FROM shipments WHERE order_id = ?', [orderId]))
      .toEqual([{ status: 'CANCELLED', order_number: `SO-${orderId.slice(0, 8)}` }]);
    expect(await claimed('shipping', 'shipping-order-confirmed', event.id)).toBe(1);
  });
});

describe('the events the orders subgraph published for them', () => {
  it('reach the stream', async () => {
    const order = await pendingOrder();
    await authorized(order.id);
    await eventually(async () => (await storedEventsOf(stack, 'orders.order.confirmed')).some((e) => e.event.data.orderId === order.id), 'relayed');
  });
});
