import { startStack, Stack, testConfigWithoutSweeps } from '../support/stack';
import { codes } from '../support/graphql-client';
import { TestUser, registerUser, userWithRole } from '../support/users';
import { eventually } from '../support/eventually';
import { SET_STOCK, inventorySql } from '../support/inventory';

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
}, 120_000);
afterAll(async () => { await stack?.stop(); });

describe('stock of catalog products through the gateway', () => {
  it('answers names from catalog and stock from inventory in one query', async () => {
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

  it('loads the stock of a page of 50 products in as many inventory statements as of 1', async () => {
    const inventory = stack.subgraphs.inventory!;
    // The outbox relay polls on the same connection pool; pause it so only the request is counted.
    await inventory.relay!.stop();
    try {
      const statementsFor = async (n: number): Promise<number> => {
        const before = inventory.statements.count;
        const res = await stack.gql(PRODUCTS, { n });
        expect(res.data.products.edges).toHaveLength(n);
        return inventory.statements.count - before;
      };
      const one = await statementsFor(1);
      expect(one).toBe(1);
      expect(await statementsFor(50)).toBe(one);
    } finally {
      inventory.relay!.start();
    }
  });
});
