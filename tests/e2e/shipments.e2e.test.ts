import { startStack, Stack } from '../support/stack';
import { registerUser, userWithRole, TestUser } from '../support/users';
import { must } from '../support/shop';
import { codes } from '../support/graphql-client';
import { outboxRelayed, storedEventsOf } from '../support/events';
import { subscribe, wsClient } from '../support/ws-client';
import { DELIVER, ORDER_SHIPMENT, SHIP, confirmedOrder, orderReaches, shipmentAtSubgraph } from '../support/shipping';

let stack: Stack;
let admin: TestUser;
let partner: TestUser;
const clients: ReturnType<typeof wsClient>[] = [];

beforeAll(async () => {
  stack = await startStack();
  [admin, partner] = await Promise.all([userWithRole(stack, 'ADMIN'), userWithRole(stack, 'PARTNER')]);
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await stack?.stop();
});

async function eventsAbout<T extends 'shipping.shipment.shipped' | 'shipping.shipment.delivered' | 'orders.order.delivered'>(type: T, orderId: string) {
  await outboxRelayed(stack, type.startsWith('orders') ? 'orders' : 'shipping');
  return (await storedEventsOf(stack, type)).filter((e) => e.event.data.orderId === orderId).map((e) => e.event);
}

describe('an order ships and is delivered', () => {
  it('CONFIRMED → PENDING shipment → SHIPPED → DELIVERED, pushed live in order', async () => {
    const customer = await registerUser(stack);
    const orderId = await confirmedOrder(stack, admin, customer);
    const pending = (await must(stack, ORDER_SHIPMENT, { id: orderId }, customer.token)).order;
    expect(pending.status).toBe('CONFIRMED');
    expect(pending.shipment).toMatchObject({ status: 'PENDING', carrier: null, trackingNumber: null });
    expect(pending.shipment.events).toEqual([{ status: 'PENDING', at: expect.any(String), note: expect.stringContaining('confirmed') }]);

    const client = wsClient(stack.gatewayUrl, customer.token);
    clients.push(client);
    const live = subscribe(client, 'subscription($id: ID!) { orderUpdated(id: $id) { status shipment { status trackingNumber } } }', { id: orderId });
    expect((await live.next()).data).toEqual({ orderUpdated: { status: 'CONFIRMED', shipment: { status: 'PENDING', trackingNumber: null } } });

    const shipped = (await must(stack, SHIP, { o: orderId, c: '  DHL Express ' }, admin.token)).shipOrder;
    expect(shipped).toMatchObject({ id: pending.shipment.id, status: 'SHIPPED', carrier: 'DHL Express', trackingNumber: expect.stringMatching(/^SH[0-9A-F]{16}$/) });
    expect(shipped.events.map((e: any) => e.status)).toEqual(['PENDING', 'SHIPPED']);
    expect(shipped.events[1].note).toContain(shipped.trackingNumber);
    expect((await live.next(20_000)).data).toEqual({ orderUpdated: { status: 'SHIPPED', shipment: { status: 'SHIPPED', trackingNumber: shipped.trackingNumber } } });

    const delivered = (await must(stack, DELIVER, { o: orderId }, partner.token)).markDelivered;
    expect(delivered).toMatchObject({ id: shipped.id, status: 'DELIVERED', trackingNumber: shipped.trackingNumber });
    expect(delivered.events.map((e: any) => e.status)).toEqual(['PENDING', 'SHIPPED', 'DELIVERED']);
    expect((await live.next(20_000)).data).toEqual({ orderUpdated: { status: 'DELIVERED', shipment: { status: 'DELIVERED', trackingNumber: shipped.trackingNumber } } });
    await live.stop();

    const order = (await must(stack, ORDER_SHIPMENT, { id: orderId }, customer.token)).order;
    expect(order.statusHistory).toEqual([
      { status: 'PENDING', reason: null }, { status: 'CONFIRMED', reason: null },
      { status: 'SHIPPED', reason: 'Shipped with DHL Express' }, { status: 'DELIVERED', reason: 'Delivered' },
    ]);
    const [shippedEvent] = await eventsAbout('shipping.shipment.shipped', orderId);
    expect(shippedEvent.data).toEqual({
      shipmentId: shipped.id, orderId, orderNumber: expect.stringMatching(/^SO-\d{6}$/), customerId: customer.id,
      carrier: 'DHL Express', trackingNumber: shipped.trackingNumber, at: expect.any(String),
    });
    const deliveredEvents = await eventsAbout('orders.order.delivered', orderId);
    expect(deliveredEvents).toHaveLength(1);
    expect(deliveredEvents[0].data).toEqual({
      orderId, number: shippedEvent.data.orderNumber, customerId: customer.id, currency: 'EUR',
      subtotal: 1500, discount: 0, shippingTotal: 499, total: 1999, deliveredAt: expect.any(String),
      lines: [{ lineId: expect.any(String), productId: expect.any(String), name: expect.any(String), quantity: 1, unitPrice: { amount: 1500, currency: 'EUR' } }],
    });
  });

  it('ships an order once, however often and however concurrently it is asked', async () => {
    const customer = await registerUser(stack);
    const orderId = await confirmedOrder(stack, admin, customer);
    const [a, b] = await Promise.all([
      must(stack, SHIP, { o: orderId, c: 'UPS' }, admin.token),
      must(stack, SHIP, { o: orderId, c: 'FedEx' }, admin.token),
    ]);
    expect(a.shipOrder.id).toBe(b.shipOrder.id);
    expect(a.shipOrder.trackingNumber).toBe(b.shipOrder.trackingNumber);
    const again = (await must(stack, SHIP, { o: orderId, c: 'DPD' }, admin.token)).shipOrder;
    expect(again).toEqual(a.shipOrder);
    expect(again.events.map((e: any) => e.status)).toEqual(['PENDING', 'SHIPPED']);
    await orderReaches(stack, orderId, customer.token, 'SHIPPED');
    expect(await eventsAbout('shipping.shipment.shipped', orderId)).toHaveLength(1);

    const [d1, d2] = await Promise.all([must(stack, DELIVER, { o: orderId }, admin.token), must(stack, DELIVER, { o: orderId }, partner.token)]);
    expect(d1.markDelivered).toEqual(d2.markDelivered);
    await orderReaches(stack, orderId, customer.token, 'DELIVERED');
    expect(await eventsAbout('shipping.shipment.delivered', orderId)).toHaveLength(1);
    expect(await eventsAbout('orders.order.delivered', orderId)).toHaveLength(1);
  });

  it('lets only ADMINs ship, ADMINs and PARTNERs mark delivered', async () => {
    const customer = await registerUser(stack);
    const orderId = await confirmedOrder(stack, admin, customer);
    expect(codes(await stack.gql(SHIP, { o: orderId, c: 'UPS' }, customer.token))).toEqual(['FORBIDDEN']);
    expect(codes(await stack.gql(SHIP, { o: orderId, c: 'UPS' }, partner.token))).toEqual(['FORBIDDEN']);
    expect(codes(await stack.gql(SHIP, { o: orderId, c: 'UPS' }))).toEqual(['UNAUTHENTICATED']);
    await must(stack, SHIP, { o: orderId, c: 'UPS' }, admin.token);
    expect(codes(await stack.gql(DELIVER, { o: orderId }, customer.token))).toEqual(['FORBIDDEN']);
    expect(codes(await stack.gql(DELIVER, { o: orderId }))).toEqual(['UNAUTHENTICATED']);
    expect((await must(stack, DELIVER, { o: orderId }, partner.token)).markDelivered.status).toBe('DELIVERED');
  });

  it('refuses what cannot ship with clear errors, never internal ones', async () => {
    const customer = await registerUser(stack);
    const orderId = await confirmedOrder(stack, admin, customer);
    const early = await stack.gql(DELIVER, { o: orderId }, admin.token);
    expect(codes(early)).toEqual(['SHIPMENT_NOT_SHIPPED']);
    expect(early.errors![0].message).toMatch(/not shipped/);
    for (const carrier of ['', '   ', 'x'.repeat(101), 'DHL\u0000', 'U\nPS', '\u0000']) {
      const res = await stack.gql(SHIP, { o: orderId, c: carrier }, admin.token);
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors![0].message).toMatch(/^carrier: /);
    }
    expect(codes(await stack.gql(SHIP, { o: 'not-an-id', c: 'UPS' }, admin.token))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await stack.gql(DELIVER, { o: '1; DROP TABLE shipments' }, admin.token))).toEqual(['BAD_USER_INPUT']);
    const unknown = await stack.gql(SHIP, { o: '00000000-0000-4000-8000-000000000000', c: 'UPS' }, admin.token);
    expect(codes(unknown)).toEqual(['ORDER_NOT_SHIPPABLE']);
    expect(unknown.errors![0].message).toMatch(/cannot ship/);
    expect(codes(await stack.gql(DELIVER, { o: '00000000-0000-4000-8000-000000000000' }, admin.token))).toEqual(['ORDER_NOT_SHIPPABLE']);

    const cancel = await must(stack, 'mutation($id: ID!) { cancelOrder(id: $id) { order { status } userErrors { code } } }', { id: orderId }, customer.token);
    expect(cancel.cancelOrder).toEqual({ order: { status: 'CANCELLED' }, userErrors: [] });
    expect(codes(await stack.gql(SHIP, { o: orderId, c: 'UPS' }, admin.token))).toEqual(['ORDER_NOT_SHIPPABLE']);
    expect(codes(await stack.gql(DELIVER, { o: orderId }, admin.token))).toEqual(['ORDER_NOT_SHIPPABLE']);
    expect((await must(stack, ORDER_SHIPMENT, { id: orderId }, customer.token)).order.shipment).toBeNull();
    expect(await eventsAbout('shipping.shipment.shipped', orderId)).toHaveLength(0);
  });

  it('refuses to cancel an order once shipOrder answered, before orders has heard of it', async () => {
    const customer = await registerUser(stack);
    const orderId = await confirmedOrder(stack, admin, customer);
    await must(stack, SHIP, { o: orderId, c: 'GLS' }, admin.token);
    const cancel = await must(stack, 'mutation($id: ID!) { cancelOrder(id: $id) { order { id } userErrors { code message } } }', { id: orderId }, customer.token);
    expect(cancel.cancelOrder.userErrors).toEqual([{ code: 'ORDER_NOT_CANCELLABLE', message: expect.stringMatching(/shipped order cannot be cancelled/) }]);
    await orderReaches(stack, orderId, customer.token, 'SHIPPED');
    const again = await must(stack, 'mutation($id: ID!) { cancelOrder(id: $id) { userErrors { code } } }', { id: orderId }, admin.token);
    expect(again.cancelOrder.userErrors).toEqual([{ code: 'ORDER_NOT_CANCELLABLE' }]);
    expect((await must(stack, ORDER_SHIPMENT, { id: orderId }, customer.token)).order.shipment.status).toBe('SHIPPED');
  });

  it("shows an order's shipment to its customer, ADMINs and PARTNERs only, also straight at the subgraph", async () => {
    const [customer, stranger] = await Promise.all([registerUser(stack), registerUser(stack)]);
    const orderId = await confirmedOrder(stack, admin, customer);
    expect((await stack.gql(ORDER_SHIPMENT, { id: orderId }, stranger.token)).data.order).toBeNull();
    expect((await must(stack, ORDER_SHIPMENT, { id: orderId }, admin.token)).order.shipment.status).toBe('PENDING');

    const asStranger = await shipmentAtSubgraph(stack, [orderId], stranger.token);
    expect(codes(asStranger)).toEqual(['FORBIDDEN']);
    expect(asStranger.data._entities[0].shipment).toBeNull();
    expect(codes(await shipmentAtSubgraph(stack, [orderId]))).toEqual(['UNAUTHENTICATED']);
    for (const viewer of [customer, admin, partner]) {
      const res = await shipmentAtSubgraph(stack, [orderId], viewer.token);
      expect(res.errors).toBeUndefined();
      expect(res.data._entities[0].shipment.status).toBe('PENDING');
    }
    const odd = await shipmentAtSubgraph(stack, ['nope', "x' OR 1=1 --", '00000000-0000-4000-8000-000000000000'], customer.token);
    expect(odd.errors).toBeUndefined();
    // Malformed ids name nothing; a well-formed unknown one names an order without a shipment.
    expect(odd.data._entities.map((e: any) => e && e.shipment)).toEqual([null, null, null]);
    expect(odd.data._entities.slice(0, 2)).toEqual([null, null]);
  });
});
