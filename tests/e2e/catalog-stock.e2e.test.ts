import { StockChangedData } from '@shop/platform';
import { subgraphDefinitions } from '../../subgraphs';
import { startStack, Stack } from '../support/stack';
import { TestUser, userWithRole } from '../support/users';
import { eventually } from '../support/eventually';
import { consumerCaughtUp, publish } from '../support/events';
import { catalogSql, createProduct, productsPage } from '../support/catalog';

/** The inStock filter needs inventory's events; with inventory registered, its real setStock drives them too. */
const withInventory = 'inventory' in subgraphDefinitions;

let stack: Stack;
let admin: TestUser;
beforeAll(async () => {
  stack = await startStack(withInventory ? ['accounts', 'catalog', 'inventory'] : ['accounts', 'catalog']);
  admin = await userWithRole(stack, 'ADMIN');
});
afterAll(async () => { await stack?.stop(); });

/** Publishes inventory.stock.changed exactly as the event contract describes it. */
async function publishStock(data: Omit<StockChangedData, 'onHand' | 'reserved' | 'reason'>): Promise<string> {
  return (await publish(stack, 'inventory.stock.changed', { ...data, onHand: data.available, reserved: 0, reason: 'SET_STOCK' })).id;
}

/** Stock events go straight to a version-guarded upsert (no inbox row): handled once the consumer has acknowledged them all. */
const handled = () => consumerCaughtUp(stack, 'catalog-stock-changed');

async function inStockIds(inStock: boolean): Promise<string[]> {
  return (await productsPage(stack, { filter: { inStock }, first: 100 })).edges.map((e: any) => e.node.id);
}

describe('inStock, from the stock projection', () => {
  it('counts products never stocked as out of stock, and totalCount follows the filter', async () => {
    const never = await createProduct(stack, admin.token, { name: 'Never Stocked', price: 10, currency: 'EUR' });
    expect(await inStockIds(false)).toContain(never.id);
    expect(await inStockIds(true)).not.toContain(never.id);
    const all = (await productsPage(stack, { first: 0 })).totalCount;
    const yes = (await productsPage(stack, { first: 0, filter: { inStock: true } })).totalCount;
    const no = (await productsPage(stack, { first: 0, filter: { inStock: false } })).totalCount;
    expect(yes + no).toBe(all);
  });

  it('applies stock events by version: a late or same-version event changes nothing', async () => {
    const lamp = await createProduct(stack, admin.token, { name: 'Versioned Lamp', price: 10, currency: 'EUR' });
    await publishStock({ productId: lamp.id, available: 5, version: 1 });
    await handled();
    expect(await inStockIds(true)).toContain(lamp.id);

    await publishStock({ productId: lamp.id, available: 0, version: 3 });
    await publishStock({ productId: lamp.id, available: 7, version: 2 });
    await publishStock({ productId: lamp.id, available: 9, version: 3 });
    await handled();
    expect(await inStockIds(true)).not.toContain(lamp.id);
    expect(await inStockIds(false)).toContain(lamp.id);
    expect(await catalogSql(stack, 'SELECT available, version FROM product_stock WHERE product_id = ?', [lamp.id]))
      .toEqual([{ available: 0, version: '3' }]);

    // A payload outside the contract is skipped rather than retried forever.
    await publishStock({ productId: 'not-a-uuid', available: 1, version: 1 });
    await handled();
  });

  (withInventory ? it : it.skip)('follows setStock in the inventory subgraph end to end', async () => {
    const SET_STOCK = `mutation($p: ID!, $n: Int!) { setStock(productId: $p, onHand: $n) { available } }`;
    const tent = await createProduct(stack, admin.token, { name: 'Stocked Tent', price: 25000, currency: 'EUR' });
    // Inventory learns of the product from catalog.product.created before it accepts stock for it.
    await eventually(async () => !(await stack.gql(SET_STOCK, { p: tent.id, n: 4 }, admin.token)).errors, 'inventory knows the product');
    await eventually(async () => (await inStockIds(true)).includes(tent.id), 'tent in stock');
    const merged = await stack.gql(`query($id: ID!) { product(id: $id) { name stock { available inStock } } }`, { id: tent.id });
    expect(merged.data.product).toEqual({ name: 'Stocked Tent', stock: { available: 4, inStock: true } });

    expect((await stack.gql(SET_STOCK, { p: tent.id, n: 0 }, admin.token)).errors).toBeUndefined();
    await eventually(async () => (await inStockIds(false)).includes(tent.id), 'tent out of stock');
  });
});
