import { newId } from '@shop/platform';
import { startStack, Stack } from '../support/stack';
import { registerUser, userWithRole, TestUser } from '../support/users';
import { must } from '../support/shop';
import { consumersIdle, publish, redeliver, storedEvents, storedEventsOf } from '../support/events';
import { subgraphSql } from '../support/database';
import { DELIVER, ORDER_SHIPMENT, SHIP, confirmedOrder, orderReaches } from '../support/shipping';

let stack: Stack;
let admin: TestUser;
let customer: TestUser;
const orders: string[] = [];

beforeAll(async () => {
  stack = await startStack();
  admin = await userWithRole(stack, 'ADMIN');
  customer = await registerUser(stack);
});
afterAll(async () => { await stack?.stop(); });

async function deliveredOrder(): Promise<string> {
  const orderId = await confirmedOrder(stack, admin, customer);
  orders.push(orderId);
  await must(stack, SHIP, { o: orderId, c: 'PostNL' }, admin.token);
  await must(stack, DELIVER, { o: orderId }, admin.token);
  await orderReaches(stack, orderId, customer.token, 'DELIVERED');
  return orderId;
}

const history = async (orderId: string) => (await must(stack, ORDER_SHIPMENT, { id: orderId }, customer.token)).order.statusHistory
  .slice(4).map((c: any) => `${c.status}: ${c.reason}`);

function requested(orderId: string) {
  return publish(stack, 'returns.return.requested', {
    returnId: newId(), orderId, customerId: customer.id, lineIds: [newId()], reason: 'Too small', at: new Date().toISOString(),
  });
}
function refunded(orderId: string, allLinesReturned: boolean, openReturns: number) {
  return publish(stack, 'returns.return.refunded', {
    returnId: newId(), orderId, orderNumber: 'SO-000001', customerId: customer.id, amount: { amount: 1500, currency: 'EUR' }, allLinesReturned, openReturns,
  });
}
function rejected(orderId: string, openReturns: number) {
  return publish(stack, 'returns.return.rejected', {
    returnId: newId(), orderId, orderNumber: 'SO-000001', customerId: customer.id, reason: 'Worn', openReturns,
  });
}

async function deliveredEvents(orderId: string) {
  return (await storedEventsOf(stack, 'orders.order.delivered')).filter((e) => e.event.data.orderId === orderId);
}

describe('returns move a delivered order', () => {
  it('RETURN_REQUESTED, back to DELIVERED when no return is open, RETURNED when every line is back', async () => {
    const orderId = await deliveredOrder();
    await requested(orderId);
    await orderReaches(stack, orderId, customer.token, 'RETURN_REQUESTED');
    await requested(orderId);
    await rejected(orderId, 1);
    await consumersIdle(stack);
    expect(await history(orderId)).toEqual(['RETURN_REQUESTED: Return requested']);

    await refunded(orderId, false, 0);
    await orderReaches(stack, orderId, customer.token, 'DELIVERED');
    await requested(orderId);
    await orderReaches(stack, orderId, customer.token, 'RETURN_REQUESTED');
    await refunded(orderId, true, 0);
    await orderReaches(stack, orderId, customer.token, 'RETURNED');
    await requested(orderId);
    await consumersIdle(stack);
    expect(await history(orderId)).toEqual([
      'RETURN_REQUESTED: Return requested', 'DELIVERED: Return refunded',
      'RETURN_REQUESTED: Return requested', 'RETURNED: Return refunded: every line is back',
    ]);
    // Coming back to DELIVERED after a return is no second delivery.
    expect(await deliveredEvents(orderId)).toHaveLength(1);
  });

  it('goes back to DELIVERED when the last open return is rejected, not before', async () => {
    const orderId = await deliveredOrder();
    await requested(orderId);
    await orderReaches(stack, orderId, customer.token, 'RETURN_REQUESTED');
    await refunded(orderId, false, 1);
    await rejected(orderId, 0);
    await orderReaches(stack, orderId, customer.token, 'DELIVERED');
    expect(await history(orderId)).toEqual(['RETURN_REQUESTED: Return requested', 'DELIVERED: Return rejected']);
  });

  it('ignores returns of an order not delivered, and malformed return events', async () => {
    const orderId = await confirmedOrder(stack, admin, customer);
    orders.push(orderId);
    await must(stack, SHIP, { o: orderId, c: 'PostNL' }, admin.token);
    await orderReaches(stack, orderId, customer.token, 'SHIPPED');
    await requested(orderId);
    await refunded(orderId, false, 0);
    await publish(stack, 'returns.return.requested', { returnId: 'x', orderId: 'nope' } as any);
    await publish(stack, 'returns.return.refunded', { orderId, allLinesReturned: 'yes', openReturns: -1 } as any);
    await publish(stack, 'returns.return.rejected', { orderId } as any);
    await consumersIdle(stack);
    expect((await must(stack, ORDER_SHIPMENT, { id: orderId }, customer.token)).order.status).toBe('SHIPPED');
    await must(stack, DELIVER, { o: orderId }, admin.token);
    await orderReaches(stack, orderId, customer.token, 'DELIVERED');
  });

  it('ends in the same state when every event of the flow is delivered again', async () => {
    await consumersIdle(stack);
    const snapshot = async () => ({
      orders: await Promise.all(orders.map(async (id) => (await must(stack, ORDER_SHIPMENT, { id }, customer.token)).order)),
      shipments: await subgraphSql(stack, 'shipping', 'SELECT id, order_id, status, carrier, tracking_number, shipped_at, delivered_at FROM shipments ORDER BY id'),
      tracking: await subgraphSql(stack, 'shipping', 'SELECT shipment_id, status, count(*)::int AS n FROM tracking_events GROUP BY 1, 2 ORDER BY 1, 2'),
    });
    const before = await snapshot();
    expect(before.shipments).toHaveLength(orders.length);
    const events = await storedEvents(stack);
    const types = new Set(events.map((e) => e.type));
    for (const type of ['orders.order.confirmed', 'shipping.shipment.shipped', 'shipping.shipment.delivered', 'orders.order.delivered',
      'returns.return.requested', 'returns.return.refunded', 'returns.return.rejected']) {
      expect(types).toContain(type);
    }
    await redeliver(stack, events);
    await consumersIdle(stack);
    expect(await snapshot()).toEqual(before);
    for (const id of orders) expect(await deliveredEvents(id)).toHaveLength(2);
    // Nothing new was recorded: every event is in the stream twice, as redelivered, and no more.
    expect((await storedEvents(stack)).length).toBe(events.length * 2);
  });
});
