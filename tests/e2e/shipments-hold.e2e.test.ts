import { newId } from '@shop/platform';
import { startStack, Stack } from '../support/stack';
import { registerUser, userWithRole, TestUser } from '../support/users';
import { must } from '../support/shop';
import { codes, gql } from '../support/graphql-client';
import { consumersIdle, publish } from '../support/events';
import { subgraphSql } from '../support/database';
import { ORDER_SHIPMENT, SHIP, confirmedOrder, orderStatus, shipmentAtSubgraph } from '../support/shipping';

let stack: Stack;
let admin: TestUser;

beforeAll(async () => {
  stack = await startStack();
  admin = await userWithRole(stack, 'ADMIN');
});
afterAll(async () => { await stack?.stop(); });

const CANCEL = 'mutation($id: ID!) { cancelOrder(id: $id) { order { id status } userErrors { code message } } }';
const HOLD = 'mutation($o: ID!, $c: ID!) { holdShipment(orderId: $o, customerId: $c) { held status } }';

function hold(orderId: string, customerId: string, token?: string) {
  return gql(stack.subgraphs.shipping!.url, HOLD, { o: orderId, c: customerId }, token);
}

function shipmentRows(orderId: string) {
  return subgraphSql(stack, 'shipping', 'SELECT status, order_number, customer_id FROM shipments WHERE order_id = ?', [orderId]);
}

function confirmed(orderId: string, customerId: string) {
  return publish(stack, 'orders.order.confirmed', {
    orderId, number: 'SO-999001', customerId, cartId: newId(), couponCode: null, currency: 'EUR', total: 1999,
    lines: [{ lineId: newId(), productId: newId(), name: 'Oak Lamp', quantity: 1, unitPrice: { amount: 1500, currency: 'EUR' } }],
  });
}

describe('cancelOrder holds the shipment at shipping first', () => {
  it('refuses to cancel an order whose shipment left, though orders has not heard of it yet', async () => {
    const customer = await registerUser(stack);
    const orderId = await confirmedOrder(stack, admin, customer);
    // Shipped at shipping, its event not yet at orders: the window the hold closes.
    await subgraphSql(stack, 'shipping', `UPDATE shipments SET status = 'SHIPPED', carrier = 'UPS', tracking_number = ?, shipped_at = now()
      WHERE order_id = ?`, [`SH${Date.now()}`, orderId]);
    const res = await must(stack, CANCEL, { id: orderId }, customer.token);
    expect(res.cancelOrder.userErrors).toEqual([{ code: 'ORDER_NOT_CANCELLABLE', message: 'A shipped order cannot be cancelled' }]);
    expect(res.cancelOrder.order.status).toBe('CONFIRMED');
    await consumersIdle(stack);
    expect(await orderStatus(stack, orderId, customer.token)).toBe('CONFIRMED');
    expect(await shipmentRows(orderId)).toEqual([{ status: 'SHIPPED', order_number: expect.any(String), customer_id: customer.id }]);
  });

  it('cancels a confirmed order and its shipment, which then never ships', async () => {
    const customer = await registerUser(stack);
    const orderId = await confirmedOrder(stack, admin, customer);
    const res = await must(stack, CANCEL, { id: orderId }, admin.token);
    expect(res.cancelOrder).toEqual({ order: { id: orderId, status: 'CANCELLED' }, userErrors: [] });
    expect(await shipmentRows(orderId)).toEqual([{ status: 'CANCELLED', order_number: expect.any(String), customer_id: customer.id }]);
    expect(codes(await stack.gql(SHIP, { o: orderId, c: 'UPS' }, admin.token))).toEqual(['ORDER_NOT_SHIPPABLE']);
    expect((await must(stack, ORDER_SHIPMENT, { id: orderId }, customer.token)).order.shipment).toBeNull();
  });

  it('leaves a cancelled tombstone when the hold or the cancellation overtakes the confirmation', async () => {
    const customer = await registerUser(stack);
    const held = newId();
    expect((await hold(held, customer.id, customer.token)).data.holdShipment).toEqual({ held: true, status: null });
    expect((await hold(held, customer.id, customer.token)).data.holdShipment).toEqual({ held: true, status: null });
    const cancelledFirst = newId();
    await publish(stack, 'orders.order.cancelled', {
      orderId: cancelledFirst, customerId: customer.id, reason: 'Cancelled by the customer', previousStatus: 'CONFIRMED', couponCode: null, lines: [],
    });
    const neverConfirmed = newId();
    await publish(stack, 'orders.order.cancelled', {
      orderId: neverConfirmed, customerId: customer.id, reason: 'Payment declined', previousStatus: 'PENDING', couponCode: null, lines: [],
    });
    await consumersIdle(stack);
    await confirmed(held, customer.id);
    await confirmed(cancelledFirst, customer.id);
    await consumersIdle(stack);
    for (const orderId of [held, cancelledFirst]) {
      expect(await shipmentRows(orderId)).toEqual([{ status: 'CANCELLED', order_number: 'SO-999001', customer_id: customer.id }]);
      expect(codes(await stack.gql(SHIP, { o: orderId, c: 'UPS' }, admin.token))).toEqual(['ORDER_NOT_SHIPPABLE']);
    }
    expect((await shipmentAtSubgraph(stack, [held], customer.token)).data._entities[0].shipment).toBeNull();
    expect(await shipmentRows(neverConfirmed)).toEqual([]);
  });

  it("lets only the order's customer and ADMINs hold a shipment, and only at the subgraph", async () => {
    const [owner, stranger] = await Promise.all([registerUser(stack), registerUser(stack)]);
    const orderId = await confirmedOrder(stack, admin, owner);
    expect(codes(await hold(orderId, owner.id, stranger.token))).toEqual(['FORBIDDEN']);
    expect(codes(await hold(orderId, stranger.id, stranger.token))).toEqual(['FORBIDDEN']);
    expect(codes(await hold(orderId, owner.id))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await hold('nope', owner.id, owner.token))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await stack.gql(HOLD, { o: orderId, c: owner.id }, admin.token))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect((await shipmentRows(orderId))[0].status).toBe('PENDING');

    // A stranger's hold of an order not yet confirmed names the stranger; the confirmation disproves it.
    const early = newId();
    expect((await hold(early, stranger.id, stranger.token)).data.holdShipment.held).toBe(true);
    await confirmed(early, owner.id);
    await consumersIdle(stack);
    expect(await shipmentRows(early)).toEqual([{ status: 'PENDING', order_number: 'SO-999001', customer_id: owner.id }]);
    // Nor does it stand in the way of the customer's own hold, which the confirmation then upholds.
    const contested = newId();
    expect((await hold(contested, stranger.id, stranger.token)).data.holdShipment.held).toBe(true);
    expect((await hold(contested, owner.id, owner.token)).data.holdShipment.held).toBe(true);
    await confirmed(contested, owner.id);
    await consumersIdle(stack);
    expect(await shipmentRows(contested)).toEqual([{ status: 'CANCELLED', order_number: 'SO-999001', customer_id: owner.id }]);
    // A tombstone orders' cancellation vouched for is the customer's: a stranger cannot claim it.
    const vouched = newId();
    await publish(stack, 'orders.order.cancelled', {
      orderId: vouched, customerId: owner.id, reason: 'Cancelled by the customer', previousStatus: 'CONFIRMED', couponCode: null, lines: [],
    });
    await consumersIdle(stack);
    expect(codes(await hold(vouched, stranger.id, stranger.token))).toEqual(['FORBIDDEN']);
    expect(await shipmentRows(vouched)).toEqual([{ status: 'CANCELLED', order_number: null, customer_id: owner.id }]);
  });

  it('answers SHIPPING_UNAVAILABLE, cancelling nothing, when shipping does not answer', async () => {
    const customer = await registerUser(stack);
    const orderId = await confirmedOrder(stack, admin, customer);
    await stack.subgraphs.shipping!.stop();
    const res = await must(stack, CANCEL, { id: orderId }, customer.token);
    expect(res.cancelOrder.order).toEqual({ id: orderId, status: 'CONFIRMED' });
    expect(res.cancelOrder.userErrors).toEqual([{ code: 'SHIPPING_UNAVAILABLE', message: expect.stringMatching(/try again/) }]);
    await consumersIdle(stack);
    const after = await must(stack, 'query($id: ID!) { order(id: $id) { status payment { status } } }', { id: orderId }, customer.token);
    expect(after.order).toEqual({ status: 'CONFIRMED', payment: { status: 'AUTHORIZED' } });
  });
});
