import { jetstreamManager } from '@nats-io/jetstream';
import { newId, streamName } from '@shop/platform';
import { startStack, Stack, testConfigWithoutSweeps } from '../support/stack';
import { TestUser, userWithRole } from '../support/users';
import { eventually } from '../support/eventually';
import { consumerCaughtUp, outboxRelayed, publish, storedEventsOf } from '../support/events';
import { SET_STOCK, inventorySql, knownProduct, settledStockEvents } from '../support/inventory';

let stack: Stack;
let admin: TestUser;
beforeAll(async () => {
  stack = await startStack(['accounts', 'inventory'], testConfigWithoutSweeps());
  admin = await userWithRole(stack, 'ADMIN');
});
afterAll(async () => { await stack?.stop(); });

const line = (productId: string, quantity: number) => ({ lineId: newId(), productId, name: 'x', quantity, unitPrice: { amount: 100, currency: 'EUR' } });
type Line = ReturnType<typeof line>;

function placed(orderId: string, lines: Line[]) {
  return publish(stack, 'orders.order.placed', {
    orderId, number: 'SO-1', customerId: newId(), cartId: newId(), lines, currency: 'EUR', subtotal: 100, discount: 0, shippingTotal: 0,
    total: 100, couponCode: null, paymentToken: 'tok_visa',
  });
}

function confirmed(orderId: string, lines: Line[]) {
  return publish(stack, 'orders.order.confirmed', {
    orderId, number: 'SO-1', customerId: newId(), cartId: newId(), couponCode: null, lines, currency: 'EUR', total: 100,
  });
}

async function withStock(onHand: number): Promise<string> {
  const productId = await knownProduct(stack);
  await stack.gql(SET_STOCK, { p: productId, n: onHand }, admin.token);
  return productId;
}

const confirmations = async () =>
  (await jetstreamManager(await stack.nats())).consumers.info(streamName(stack.config.eventPrefix), 'inventory-order-confirmed');
const level = async (productId: string) =>
  (await inventorySql(stack, 'SELECT on_hand, reserved, version::int FROM stock_levels WHERE product_id = ?', [productId]))[0];
const reservation = async (orderId: string) =>
  (await inventorySql(stack, 'SELECT status FROM reservations WHERE order_id = ?', [orderId]))[0]?.status;
const ledger = (productId: string) => inventorySql(stack,
  'SELECT reason, reference, on_hand_delta, reserved_delta, on_hand_after, reserved_after, version::int FROM stock_movements WHERE product_id = ? ORDER BY version',
  [productId]);

describe('inventory in the checkout saga', () => {
  it('sells a confirmed order of two products: levels, ledger rows and stock events for each', async () => {
    const [a, b] = [await withStock(10), await withStock(5)];
    const orderId = newId();
    const lines = [line(a, 3), line(b, 1), line(a, 1)];
    await placed(orderId, lines);
    await eventually(async () => (await reservation(orderId)) === 'RESERVED', 'reserved');
    expect(await level(a)).toEqual({ on_hand: 10, reserved: 4, version: 2 });
    await confirmed(orderId, lines);
    await eventually(async () => (await reservation(orderId)) === 'SOLD', 'sold');
    expect(await level(a)).toEqual({ on_hand: 6, reserved: 0, version: 3 });
    expect(await level(b)).toEqual({ on_hand: 4, reserved: 0, version: 3 });
    expect((await ledger(a)).slice(1)).toEqual([
      { reason: 'RESERVE', reference: orderId, on_hand_delta: 0, reserved_delta: 4, on_hand_after: 10, reserved_after: 4, version: 2 },
      { reason: 'SALE', reference: orderId, on_hand_delta: -4, reserved_delta: -4, on_hand_after: 6, reserved_after: 0, version: 3 },
    ]);
    expect((await ledger(b)).at(-1)).toEqual(
      { reason: 'SALE', reference: orderId, on_hand_delta: -1, reserved_delta: -1, on_hand_after: 4, reserved_after: 0, version: 3 });
    const events = await settledStockEvents(stack, a);
    expect(events.at(-1)).toEqual({ productId: a, onHand: 6, reserved: 0, available: 6, reason: 'SALE', version: 3 });
    expect((await settledStockEvents(stack, b)).at(-1)).toMatchObject({ productId: b, onHand: 4, available: 4, reason: 'SALE', version: 3 });
    // A second confirmation (a redelivery under another id) changes nothing.
    await confirmed(orderId, lines);
    await consumerCaughtUp(stack, 'inventory-order-confirmed');
    expect(await level(a)).toEqual({ on_hand: 6, reserved: 0, version: 3 });
  });

  it('loses no unit under concurrent orders of one product: each reserve and sale starts from the last', async () => {
    const productId = await withStock(100);
    const orders = Array.from({ length: 20 }, () => ({ id: newId(), lines: [line(productId, 2)] }));
    await Promise.all(orders.map((o) => placed(o.id, o.lines)));
    // As in the saga, an order is confirmed once its stock is reserved.
    await eventually(async () => (await level(productId))?.version === 21, 'every order reserved');
    await Promise.all(orders.map((o) => confirmed(o.id, o.lines)));
    await eventually(async () => (await level(productId))?.version === 41, 'every order reserved and sold');
    expect(await level(productId)).toEqual({ on_hand: 60, reserved: 0, version: 41 });
    const rows = await ledger(productId);
    expect(rows.map((r) => r.version)).toEqual(Array.from({ length: 41 }, (_, i) => i + 1));
    let [onHand, reserved] = [0, 0];
    for (const r of rows) {
      expect([r.on_hand_after, r.reserved_after]).toEqual([onHand + r.on_hand_delta, reserved + r.reserved_delta]);
      [onHand, reserved] = [r.on_hand_after, r.reserved_after];
    }
    expect(rows.filter((r) => r.reason === 'SALE')).toHaveLength(20);
    const events = await settledStockEvents(stack, productId);
    expect(events.map((e) => e.version)).toEqual(rows.map((r) => r.version));
    expect(events.map((e) => e.onHand)).toEqual(rows.map((r) => r.on_hand_after));
  });

  it('writes nothing of a sale one of whose levels cannot give up its units, nor of one missing a level', async () => {
    const [a, b] = [await withStock(10), await withStock(10)];
    const [short, missing] = [newId(), newId()];
    for (const orderId of [short, missing]) {
      await placed(orderId, [line(a, 1), line(b, 1)]);
      await eventually(async () => (await reservation(orderId)) === 'RESERVED', 'reserved');
    }
    // What no movement could do: the levels lose their reservations, then one of them its row.
    await inventorySql(stack, 'UPDATE stock_levels SET reserved = 0 WHERE product_id = ?', [b]);
    await confirmed(short, [line(a, 1), line(b, 1)]);
    await eventually(async () => (await confirmations()).num_redelivered >= 1, 'the sale tried and failed');
    await inventorySql(stack, 'DELETE FROM stock_movements WHERE product_id = ?', [b]);
    await inventorySql(stack, 'DELETE FROM stock_levels WHERE product_id = ?', [b]);
    await confirmed(missing, [line(a, 1), line(b, 1)]);
    await eventually(async () => (await confirmations()).num_redelivered >= 2, 'both sales tried and failed');
    for (const orderId of [short, missing]) expect(await reservation(orderId)).toBe('RESERVED');
    expect(await level(a)).toEqual({ on_hand: 10, reserved: 2, version: 3 });
    expect((await ledger(a)).filter((r) => r.reason === 'SALE')).toEqual([]);
    expect((await settledStockEvents(stack, a)).filter((e) => e.reason === 'SALE')).toEqual([]);
  });

  it('reserves nothing for an order cancelled before it was placed here, and an order once', async () => {
    const productId = await withStock(10);
    const cancelledFirst = newId();
    await publish(stack, 'orders.order.cancelled', {
      orderId: cancelledFirst, number: 'SO-2', customerId: newId(), reason: 'Cancelled', previousStatus: 'PENDING', couponCode: null, lines: [line(productId, 1)],
    });
    await eventually(async () => (await reservation(cancelledFirst)) === 'VOIDED', 'voided');
    await placed(cancelledFirst, [line(productId, 1)]);
    const twice = newId();
    await placed(twice, [line(productId, 3)]);
    await placed(twice, [line(productId, 3)]);
    await consumerCaughtUp(stack, 'inventory-order-placed');
    await outboxRelayed(stack, 'inventory');
    expect(await reservation(cancelledFirst)).toBe('VOIDED');
    expect(await level(productId)).toMatchObject({ on_hand: 10, reserved: 3 });
    expect((await storedEventsOf(stack, 'inventory.stock.reserved')).filter((e) => e.event.data.orderId === twice)).toHaveLength(1);
  });
});
