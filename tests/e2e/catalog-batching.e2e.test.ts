import { startStack, Stack } from '../support/stack';
import { gql } from '../support/graphql-client';
import { userWithRole } from '../support/users';
import { createCategory, createProduct, setRate } from '../support/catalog';

const BROWSE = `query($first: Int!) { products(first: $first, sort: NAME) {
  totalCount edges { node { name price(currency: "USD") { amount } category { name parent { name } children { name } }
    stock { available inStock } rating reviewCount } }
} }`;
const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) {
  ... on Product { name category { name parent { name } } stock { available } rating }
} }`;

let stack: Stack;
const productIds: string[] = [];
beforeAll(async () => {
  stack = await startStack(['accounts', 'catalog']);
  const { token } = await userWithRole(stack, 'ADMIN');
  await setRate(stack, token, 'USD', 1.1);
  const roots = [await createCategory(stack, token, 'Root A'), await createCategory(stack, token, 'Root B')];
  const leaves = [];
  for (let i = 0; i < 6; i++) leaves.push(await createCategory(stack, token, `Leaf ${i}`, roots[i % 2].id));
  for (let i = 0; i < 100; i++) {
    const product = await createProduct(stack, token, { name: `Batch ${String(i).padStart(2, '0')}`, price: 100 + i, currency: i % 3 === 1 ? 'USD' : 'EUR', categoryId: leaves[i % 6].id });
    productIds.push(product.id);
  }
});
afterAll(async () => { await stack?.stop(); });

/**
 * SQL statements the catalog runs for one operation. The outbox relay polls
 * the same database on a timer, so it is paused while counting.
 */
async function statementsOf(run: () => Promise<unknown>): Promise<number> {
  const catalog = stack.subgraphs.catalog!;
  await catalog.relay?.stop();
  try {
    const before = catalog.statements.count;
    await run();
    return catalog.statements.count - before;
  } finally {
    catalog.relay?.start();
  }
}

describe('batching', () => {
  it('runs as many statements for a page of 100 products as for 1, nested category fields, stock and rating included', async () => {
    const browse = async (first: number) => {
      const res = await stack.gql(BROWSE, { first });
      expect(res.errors).toBeUndefined();
      expect(res.data.products.edges).toHaveLength(first);
      expect(res.data.products.edges.every((e: any) => e.node.category.parent.name.startsWith('Root'))).toBe(true);
    };
    await browse(1); // warm-up: connections and metadata
    const one = await statementsOf(() => browse(1));
    const hundred = await statementsOf(() => browse(100));
    expect(hundred).toBe(one);
    expect(one).toBeLessThanOrEqual(6);
  });

  it('resolves 100 entity references with as many statements as 1', async () => {
    const resolve = async (ids: string[]) => {
      const res = await gql(stack.subgraphs.catalog!.url, ENTITIES, { r: ids.map((id) => ({ __typename: 'Product', id })) });
      expect(res.errors).toBeUndefined();
      expect(res.data._entities.map((e: any) => e.category.parent.name.slice(0, 4))).toEqual(ids.map(() => 'Root'));
    };
    await resolve(productIds.slice(0, 1));
    const one = await statementsOf(() => resolve(productIds.slice(0, 1)));
    const hundred = await statementsOf(() => resolve(productIds.slice(0, 100)));
    expect(hundred).toBe(one);
    expect(one).toBeLessThanOrEqual(3);
  });
});
