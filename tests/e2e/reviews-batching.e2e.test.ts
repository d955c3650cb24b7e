import { startStack, Stack } from '../support/stack';
import { registerUser, userWithRole } from '../support/users';
import { createProduct } from '../support/catalog';
import { must } from '../support/shop';
import { ADD_REVIEW, deliver, ratingsCopied } from '../support/reviews';

const BROWSE = `query($first: Int!) { products(first: $first, sort: NAME) { edges { node {
  name rating reviewCount reviews(first: 2) { totalCount pageInfo { hasNextPage } edges { node { rating author { id } } } }
} } } }`;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack(['accounts', 'catalog', 'reviews']);
  const admin = await userWithRole(stack, 'ADMIN');
  const productIds: string[] = [];
  for (let i = 0; i < 55; i++) {
    productIds.push((await createProduct(stack, admin.token, { name: `Rated ${String(i).padStart(2, '0')}`, price: 1000, currency: 'EUR' })).id);
  }
  const [a, b, c] = [await registerUser(stack), await registerUser(stack), await registerUser(stack)];
  for (const customer of [a, b, c]) await deliver(stack, customer, productIds);
  // Every product but the last few has reviews: 3 and 4 stars from a and b, and a third from c on every other product.
  for (const [i, productId] of productIds.slice(0, 50).entries()) {
    await must(stack, ADD_REVIEW, { p: productId, r: 3, b: 'Fine' }, a.token);
    await must(stack, ADD_REVIEW, { p: productId, r: 4, b: 'Good' }, b.token);
    if (i % 2 === 0) await must(stack, ADD_REVIEW, { p: productId, r: 5, b: 'Great' }, c.token);
  }
  await ratingsCopied(stack);
}, 120_000);
afterAll(async () => { await stack?.stop(); });

/** SQL statements the reviews subgraph runs for one operation (its outbox relay, which polls, is paused meanwhile). */
async function statementsOf(run: () => Promise<unknown>): Promise<number> {
  const reviews = stack.subgraphs.reviews!;
  await reviews.relay?.stop();
  try {
    const before = reviews.statements.count;
    await run();
    return reviews.statements.count - before;
  } finally {
    reviews.relay?.start();
  }
}

describe('batching', () => {
  it('runs as many statements for the rating and reviews of 50 products as for 1', async () => {
    const browse = async (first: number) => {
      const data = await must(stack, BROWSE, { first });
      const nodes = data.products.edges.map((e: any) => e.node);
      expect(nodes).toHaveLength(first);
      for (const [i, node] of nodes.entries()) {
        const three = i % 2 === 0;
        expect(node).toMatchObject({ name: `Rated ${String(i).padStart(2, '0')}`, rating: three ? 4 : 3.5, reviewCount: three ? 3 : 2 });
        expect(node.reviews).toMatchObject({ totalCount: three ? 3 : 2, pageInfo: { hasNextPage: three } });
        expect(node.reviews.edges).toHaveLength(2);
      }
    };
    await browse(1); // warm-up: connections and metadata
    const one = await statementsOf(() => browse(1));
    const fifty = await statementsOf(() => browse(50));
    expect(fifty).toBe(one);
    expect(one).toBeLessThanOrEqual(2);
  });
});
