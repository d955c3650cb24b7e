import { startStack, Stack, testConfigWithoutSweeps } from '../support/stack';
import { codes, gql } from '../support/graphql-client';
import { TestUser, registerUser, userWithRole } from '../support/users';
import { SET_STOCK, inventorySql, knownProduct, settledStockEvents } from '../support/inventory';

let stack: Stack;
let admin: TestUser;
beforeAll(async () => {
  stack = await startStack(['accounts', 'inventory'], testConfigWithoutSweeps());
  admin = await userWithRole(stack, 'ADMIN');
});
afterAll(async () => { await stack?.stop(); });

/** The error a statement raises, or null when it succeeds. */
async function sqlError(sql: string, params: unknown[]): Promise<{ code?: string; constraint?: string } | null> {
  try {
    await inventorySql(stack, sql, params);
    return null;
  } catch (e: any) {
    return { code: e.code, constraint: e.constraint };
  }
}

describe('stock invariants held by the database', () => {
  it('refuses negative stock and more reserved than on hand, whatever the code does', async () => {
    const productId = await knownProduct(stack);
    await stack.gql(SET_STOCK, { p: productId, n: 5 }, admin.token);
    expect(await sqlError('UPDATE stock_levels SET on_hand = -1 WHERE product_id = ?', [productId]))
      .toEqual({ code: '23514', constraint: 'stock_levels_on_hand_non_negative' });
    expect(await sqlError('UPDATE stock_levels SET reserved = 6 WHERE product_id = ?', [productId]))
      .toEqual({ code: '23514', constraint: 'stock_levels_reserved_within_on_hand' });
    expect(await sqlError('UPDATE stock_levels SET reserved = -1 WHERE product_id = ?', [productId]))
      .toEqual({ code: '23514', constraint: 'stock_levels_reserved_non_negative' });
    expect(await inventorySql(stack, 'SELECT on_hand, reserved FROM stock_levels WHERE product_id = ?', [productId]))
      .toEqual([{ on_hand: 5, reserved: 0 }]);
  });

  it('loses no update under concurrent setStock calls: the level, the ledger and the events agree', async () => {
    const productId = await knownProduct(stack);
    const values = Array.from({ length: 20 }, (_, i) => i + 1);
    const results = await Promise.all(values.map((n) => stack.gql(SET_STOCK, { p: productId, n }, admin.token)));
    expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);

    const ledger = await inventorySql(stack,
      'SELECT on_hand_delta, on_hand_after, version::int FROM stock_movements WHERE product_id = ? ORDER BY version', [productId]);
    expect(ledger.map((row) => row.version)).toEqual(values);
    // Each change starts from what the previous one left: deltas chain up to the final level.
    let onHand = 0;
    for (const row of ledger) {
      expect(row.on_hand_after).toBe(onHand + row.on_hand_delta);
      onHand = row.on_hand_after;
    }
    expect([...ledger.map((row) => row.on_hand_after)].sort((a, b) => a - b)).toEqual(values);
    const [level] = await inventorySql(stack, 'SELECT on_hand, version::int FROM stock_levels WHERE product_id = ?', [productId]);
    expect(level).toEqual({ on_hand: onHand, version: 20 });

    const events = await settledStockEvents(stack, productId);
    expect(events.map((e) => e.version)).toEqual(values);
    expect(events.map((e) => e.onHand)).toEqual(ledger.map((row) => row.on_hand_after));
  });
});

const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { id stock { productId available inStock onHand reserved } } } }`;
const PUBLIC_ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { id stock { available inStock } } } }`;
const reps = (ids: string[]) => ids.map((id) => ({ __typename: 'Product', id }));

describe('the subgraph reached directly', () => {
  let customer: TestUser;
  let stocked: string;
  let uncounted: string;
  beforeAll(async () => {
    customer = await registerUser(stack);
    stocked = await knownProduct(stack);
    uncounted = await knownProduct(stack);
    await stack.gql(SET_STOCK, { p: stocked, n: 8 }, admin.token);
  });

  it('shows onHand and reserved to ADMIN only, availability to all', async () => {
    const url = stack.subgraphs.inventory!.url;
    const asAdmin = await gql(url, ENTITIES, { r: reps([stocked, uncounted]) }, admin.token);
    expect(asAdmin.errors).toBeUndefined();
    expect(asAdmin.data._entities).toEqual([
      { id: stocked, stock: { productId: stocked, available: 8, inStock: true, onHand: 8, reserved: 0 } },
      { id: uncounted, stock: { productId: uncounted, available: 0, inStock: false, onHand: 0, reserved: 0 } },
    ]);

    const asCustomer = await gql(url, ENTITIES, { r: reps([stocked]) }, customer.token);
    expect(asCustomer.data._entities[0].stock).toEqual({ productId: stocked, available: 8, inStock: true, onHand: null, reserved: null });
    expect(codes(asCustomer)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    const anonymous = await gql(url, ENTITIES, { r: reps([stocked]) });
    expect(anonymous.data._entities[0].stock).toMatchObject({ onHand: null, reserved: null });
    expect(codes(anonymous)).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED']);

    const publicOnly = await gql(url, PUBLIC_ENTITIES, { r: reps([stocked]) });
    expect(publicOnly).toMatchObject({ data: { _entities: [{ id: stocked, stock: { available: 8, inStock: true } }] } });
    expect(publicOnly.errors).toBeUndefined();
  });

  it('answers a malformed product id with null, not an internal error', async () => {
    const res = await gql(stack.subgraphs.inventory!.url, PUBLIC_ENTITIES, { r: reps(['not-an-id', stocked]) });
    expect(res.errors).toBeUndefined();
    expect(res.data._entities).toEqual([null, { id: stocked, stock: { available: 8, inStock: true } }]);
  });

  it('loads the stock of 50 products in as many statements as of 1', async () => {
    const sub = stack.subgraphs.inventory!;
    const ids = [stocked, uncounted, ...Array.from({ length: 48 }, () => crypto.randomUUID())];
    // The outbox relay polls on the same connection pool; pause it so only the request is counted.
    await sub.relay!.stop();
    try {
      const statementsFor = async (products: string[]): Promise<number> => {
        const before = sub.statements.count;
        const res = await gql(sub.url, ENTITIES, { r: reps(products) }, admin.token);
        expect(res.data._entities).toHaveLength(products.length);
        return sub.statements.count - before;
      };
      const one = await statementsFor([stocked]);
      const fifty = await statementsFor(ids);
      expect(one).toBe(1);
      expect(fifty).toBe(one);
    } finally {
      sub.relay!.start();
    }
  });
});
