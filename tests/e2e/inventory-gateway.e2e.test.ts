import { startStack, Stack, testConfigWithoutSweeps } from '../support/stack';
import { codes } from '../support/graphql-client';
import { TestUser, registerUser, userWithRole } from '../support/users';
import { eventually } from '../support/eventually';
import { SET_STOCK, inventorySql } from '../support/inventory';
import { consumerCaughtUp } from '../support/events';

const CREATE = `mutation($i: ProductInput!) { createProduct(input: $i) { id } }`;
const PRODUCTS = `query($n: Int!) { products(first: $n, sort: NAME) { edges { node { name stock { available inStock } } } } }`;
const ADMIN_PRODUCTS = `query($n: Int!) { products(first: $n, sort: NAME) { edges { node { name stock { onHand reserved } } } } }`;

let stack: Stack;
let admin: TestUser;
let customer: TestUser;
const created: { id: string; name: string }[] = [];

/** Creates a product in the catalog and waits until inventory has heard of it (it learns through an event). */
async function createProduct(name: string): Promise<string> {
  const res = await stack.gql(CREATE, { i: { name, price: 1000, currency: 'EUR' } }, admin.token);
  const id = res.data?.createProduct?.id;
  if (!id) throw new Error(`createProduct failed: ${JSON.stringify(res.errors)}`);
  created.push({ id, name });
  return id;
}

async function setStockOnceKnown(productId: string, onHand: number): Promise<void> {
  await eventually(async () => !codes(await stack.gql(SET_STOCK, { p: productId, n: onHand }, admin.token)).includes('NOT_FOUND'), 'product known to inventory');
}

beforeAll(async () => {
  stack = await startStack(['accounts', 'catalog', 'inventory'], testConfigWithoutSweeps());
  admin = await userWithRole(stack, 'ADMIN');
  customer = await registerUser(stack);
  await setStockOnceKnown(await createProduct('A stocked scarf'), 4);
  await createProduct('B uncounted hat');
  for (let i = 0; i < 48; i++) await createProduct(`C filler ${String(i).padStart(2, '0')}`);
  // Inventory has consumed every catalog.product.created: no event handling runs while statements are counted.
  await eventually(async () => (await inventorySql(stack, 'SELECT count(*)::int AS n FROM products'))[0].n === created.length, 'all products known');
  // Catalog answers stock from its copy of inventory's events: it has applied the stock set above.
  await consumerCaughtUp(stack, 'catalog-stock-changed');
}, 120_000);
afterAll(async () => { await stack?.stop(); });

describe('stock of catalog products through the gateway', () => {
  it('answers names and stock in one query', async () => {
    const res = await stack.gql(PRODUCTS, { n: 2 });
    expect(res.errors).toBeUndefined();
    expect(res.data.products.edges.map((e: any) => e.node)).toEqual([
      { name: 'A stocked scarf', stock: { available: 4, inStock: true } },
      { name: 'B uncounted hat', stock: { available: 0, inStock: false } },
    ]);
  });

  it('shows onHand and reserved to ADMIN only', async () => {
    const asAdmin = await stack.gql(ADMIN_PRODUCTS, { n: 1 }, admin.token);
    expect(asAdmin.data.products.edges[0].node).toEqual({ name: 'A stocked scarf', stock: { onHand: 4, reserved: 0 } });
    const asCustomer = await stack.gql(ADMIN_PRODUCTS, { n: 1 }, customer.token);
    expect(asCustomer.data.products.edges[0].node.stock).toEqual({ onHand: null, reserved: null });
    expect(codes(asCustomer)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    const anonymous = await stack.gql(ADMIN_PRODUCTS, { n: 1 });
    expect(codes(anonymous)).toContain('UNAUTHENTICATED');
    expect(JSON.stringify(anonymous.data ?? null)).not.toMatch(/"(onHand|reserved)":\d/);
  });

  it('keeps the public fields for an anonymous caller who also asks for the admin-only ones', async () => {
    const anonymous = await stack.gql(ADMIN_PRODUCTS, { n: 1 });
    expect(anonymous.data.products.edges[0].node).toEqual({ name: 'A stocked scarf', stock: { onHand: null, reserved: null } });
    expect(codes(anonymous)).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED']);
  });

  it('serves a page of 50 products with their stock from catalog alone, in as many statements as 1', async () => {
    const { catalog, inventory } = stack.subgraphs as Required<typeof stack.subgraphs>;
    // The outbox relays poll on the same connection pools; pause them so only the request is counted.
    await inventory.relay!.stop();
    await catalog.relay!.stop();
    try {
      const statementsFor = async (n: number): Promise<{ catalog: number; inventory: number }> => {
        const before = { catalog: catalog.statements.count, inventory: inventory.statements.count };
        const res = await stack.gql(PRODUCTS, { n });
        expect(res.data.products.edges).toHaveLength(n);
        return { catalog: catalog.statements.count - before.catalog, inventory: inventory.statements.count - before.inventory };
      };
      const one = await statementsFor(1);
      expect(one).toEqual({ catalog: 1, inventory: 0 });
      expect(await statementsFor(50)).toEqual(one);
    } finally {
      inventory.relay!.start();
      catalog.relay!.start();
    }
  });

  it("follows inventory's changes: the listing shows inventory's figures once catalog's copy has them", async () => {
    const id = created.find((p) => p.name === 'B uncounted hat')!.id;
    await setStockOnceKnown(id, 6);
    const second = async () => (await stack.gql(ADMIN_PRODUCTS, { n: 2 }, admin.token)).data.products.edges[1].node.stock;
    await eventually(async () => (await second()).onHand === 6, "catalog's copy of the new stock");
    const [inInventory] = await inventorySql(stack, 'SELECT on_hand, reserved FROM stock_levels WHERE product_id = ?', [id]);
    expect(await second()).toEqual({ onHand: inInventory.on_hand, reserved: inInventory.reserved });
    expect((await stack.gql(PRODUCTS, { n: 2 })).data.products.edges[1].node).toEqual({ name: 'B uncounted hat', stock: { available: 6, inStock: true } });
  });
});
