import { newId } from '@shop/platform';
import { startStack, Stack } from '../support/stack';
import { codes } from '../support/graphql-client';
import { TestUser, registerUser, userWithRole } from '../support/users';
import { eventually } from '../support/eventually';
import { SET_STOCK, inventorySql, knownProduct, publishProductCreated, settledStockEvents } from '../support/inventory';

let stack: Stack;
let admin: TestUser;
let customer: TestUser;
beforeAll(async () => {
  stack = await startStack(['accounts', 'inventory']);
  admin = await userWithRole(stack, 'ADMIN');
  customer = await registerUser(stack);
});
afterAll(async () => { await stack?.stop(); });

describe('setStock through the gateway', () => {
  it('knows a product once catalog.product.created arrives, then sets its stock', async () => {
    const productId = newId();
    expect(codes(await stack.gql(SET_STOCK, { p: productId, n: 5 }, admin.token))).toEqual(['NOT_FOUND']);

    await publishProductCreated(stack, productId);
    await eventually(async () => !codes(await stack.gql(SET_STOCK, { p: productId, n: 5 }, admin.token)).includes('NOT_FOUND'), 'product known');

    const res = await stack.gql(SET_STOCK, { p: productId, n: 7 }, admin.token);
    expect(res.errors).toBeUndefined();
    expect(res.data.setStock).toEqual({ productId, available: 7, inStock: true, onHand: 7, reserved: 0 });
  });

  it('learns a product once however many times the catalog announces it', async () => {
    const first = await publishProductCreated(stack);
    const second = await publishProductCreated(stack, first.data.productId);
    await eventually(async () => (await inventorySql(stack,
      `SELECT 1 FROM processed_events WHERE consumer = 'inventory-product-created' AND event_id IN (?, ?)`, [first.id, second.id])).length === 2,
    'both events handled');
    expect(await inventorySql(stack, 'SELECT count(*)::int AS n FROM products WHERE id = ?', [first.data.productId])).toEqual([{ n: 1 }]);
  });

  it('lets only ADMIN set stock', async () => {
    const productId = await knownProduct(stack);
    expect(codes(await stack.gql(SET_STOCK, { p: productId, n: 3 }))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await stack.gql(SET_STOCK, { p: productId, n: 3 }, customer.token))).toEqual(['FORBIDDEN']);
    expect(await inventorySql(stack, 'SELECT * FROM stock_levels WHERE product_id = ?', [productId])).toEqual([]);
  });

  it('writes a ledger row and publishes inventory.stock.changed exactly once per change, versions increasing', async () => {
    const productId = await knownProduct(stack);
    for (const n of [10, 4, 4, 0, 12]) {
      expect((await stack.gql(SET_STOCK, { p: productId, n }, admin.token)).errors).toBeUndefined();
    }
    // Setting 4 twice changed nothing the second time: no row, no event.
    const ledger = await inventorySql(stack,
      `SELECT on_hand_delta, reserved_delta, on_hand_after, reserved_after, version::int, reason, reference
       FROM stock_movements WHERE product_id = ? ORDER BY version`, [productId]);
    expect(ledger).toEqual([
      { on_hand_delta: 10, reserved_delta: 0, on_hand_after: 10, reserved_after: 0, version: 1, reason: 'SET_STOCK', reference: null },
      { on_hand_delta: -6, reserved_delta: 0, on_hand_after: 4, reserved_after: 0, version: 2, reason: 'SET_STOCK', reference: null },
      { on_hand_delta: -4, reserved_delta: 0, on_hand_after: 0, reserved_after: 0, version: 3, reason: 'SET_STOCK', reference: null },
      { on_hand_delta: 12, reserved_delta: 0, on_hand_after: 12, reserved_after: 0, version: 4, reason: 'SET_STOCK', reference: null },
    ]);
    expect(await settledStockEvents(stack, productId)).toEqual([
      { productId, onHand: 10, reserved: 0, available: 10, reason: 'SET_STOCK', version: 1 },
      { productId, onHand: 4, reserved: 0, available: 4, reason: 'SET_STOCK', version: 2 },
      { productId, onHand: 0, reserved: 0, available: 0, reason: 'SET_STOCK', version: 3 },
      { productId, onHand: 12, reserved: 0, available: 12, reason: 'SET_STOCK', version: 4 },
    ]);
  });

  it('answers bad input with clear errors, never an internal one', async () => {
    const productId = await knownProduct(stack);
    const malformed = await stack.gql(SET_STOCK, { p: 'not-an-id', n: 1 }, admin.token);
    expect(codes(malformed)).toEqual(['NOT_FOUND']);
    expect(codes(await stack.gql(SET_STOCK, { p: newId(), n: 1 }, admin.token))).toEqual(['NOT_FOUND']);

    const negative = await stack.gql(SET_STOCK, { p: productId, n: -1 }, admin.token);
    expect(codes(negative)).toEqual(['BAD_USER_INPUT']);
    expect(negative.errors![0].message).toBe('onHand may not be negative');
    const huge = await stack.gql(SET_STOCK, { p: productId, n: 1_000_000_001 }, admin.token);
    expect(codes(huge)).toEqual(['BAD_USER_INPUT']);
    expect(huge.errors![0].message).toBe('onHand may be at most 1000000000');
    expect(codes(await stack.gql(SET_STOCK, { p: productId, n: 1_000_000_000 }, admin.token))).toEqual([]);

    // Units reserved for orders (the saga's RESERVE, simulated here) cannot be counted away.
    await inventorySql(stack, 'UPDATE stock_levels SET reserved = 3 WHERE product_id = ?', [productId]);
    const below = await stack.gql(SET_STOCK, { p: productId, n: 2 }, admin.token);
    expect(codes(below)).toEqual(['BAD_USER_INPUT']);
    expect(below.errors![0].message).toBe('onHand may not be below the 3 units reserved for orders');
    const atReserved = await stack.gql(SET_STOCK, { p: productId, n: 3 }, admin.token);
    expect(atReserved.data.setStock).toEqual({ productId, available: 0, inStock: false, onHand: 3, reserved: 3 });

    const tooBigForInt = await stack.gql(SET_STOCK, { p: productId, n: 2 ** 40 }, admin.token);
    expect(codes(tooBigForInt)).toEqual(['BAD_USER_INPUT']);
  });
});
