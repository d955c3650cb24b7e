import { CATALOG_COPIES_CHANGED, ReviewAddedData, StockChangedData, newId, noticeSubject } from '@shop/platform';
import { startStack, Stack } from '../support/stack';
import { codes } from '../support/graphql-client';
import { TestUser, registerUser, userWithRole } from '../support/users';
import { consumerCaughtUp, publish } from '../support/events';
import { catalogSql, createProduct } from '../support/catalog';

/**
 * Catalog answers a product's stock and rating from its copies of
 * inventory's and reviews' events. Neither subgraph runs here: every figure
 * below can only come from catalog.
 */
let stack: Stack;
let admin: TestUser;
let customer: TestUser;
beforeAll(async () => {
  stack = await startStack(['accounts', 'catalog']);
  admin = await userWithRole(stack, 'ADMIN');
  customer = await registerUser(stack);
});
afterAll(async () => { await stack?.stop(); });

const STOCK = `query($id: ID!) { product(id: $id) { stock { productId available inStock onHand reserved } } }`;
const PUBLIC = `query($id: ID!) { product(id: $id) { stock { available inStock } rating reviewCount } }`;
const LISTING = `query($q: String!) { products(first: 10, filter: { search: $q }) { edges { node { id stock { available } rating reviewCount } } } }`;

const stockChanged = (productId: string, counts: Omit<StockChangedData, 'productId' | 'reason'>) =>
  publish(stack, 'inventory.stock.changed', { productId, reason: 'SET_STOCK', ...counts });
const reviewAdded = (productId: string, ratingCount: number, ratingAverage: number) => publish(stack, 'reviews.review.added', {
  reviewId: newId(), productId, authorId: newId(), rating: 5, ratingCount, ratingAverage,
} satisfies ReviewAddedData);
const stockCopied = () => consumerCaughtUp(stack, 'catalog-stock-changed');
const ratingsCopied = () => consumerCaughtUp(stack, 'catalog-review-added');

describe("catalog's copies of stock and ratings", () => {
  it('answers a product never counted nor reviewed as none available, no rating', async () => {
    const product = await createProduct(stack, admin.token, { name: 'Copy Blank', price: 100, currency: 'EUR' });
    const res = await stack.gql(STOCK, { id: product.id }, admin.token);
    expect(res.errors).toBeUndefined();
    expect(res.data.product.stock).toEqual({ productId: product.id, available: 0, inStock: false, onHand: 0, reserved: 0 });
    expect((await stack.gql(PUBLIC, { id: product.id })).data.product).toEqual({ stock: { available: 0, inStock: false }, rating: null, reviewCount: 0 });
  });

  it("shows inventory's counts to ADMINs only, and applies stock by version", async () => {
    const product = await createProduct(stack, admin.token, { name: 'Copy Counted', price: 100, currency: 'EUR' });
    await stockChanged(product.id, { onHand: 9, reserved: 2, available: 7, version: 4 });
    await stockChanged(product.id, { onHand: 1, reserved: 0, available: 1, version: 3 });
    await stockCopied();
    expect((await stack.gql(STOCK, { id: product.id }, admin.token)).data.product.stock)
      .toEqual({ productId: product.id, available: 7, inStock: true, onHand: 9, reserved: 2 });

    const asCustomer = await stack.gql(STOCK, { id: product.id }, customer.token);
    expect(asCustomer.data.product.stock).toEqual({ productId: product.id, available: 7, inStock: true, onHand: null, reserved: null });
    expect(codes(asCustomer)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    const anonymous = await stack.gql(STOCK, { id: product.id });
    expect(codes(anonymous)).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED']);
    expect(JSON.stringify(anonymous.data)).not.toMatch(/"(onHand|reserved)":\d/);
  });

  it('applies ratings by review count: a late or repeated event changes nothing, one outside the contract is skipped', async () => {
    const product = await createProduct(stack, admin.token, { name: 'Copy Rated', price: 100, currency: 'EUR' });
    await reviewAdded(product.id, 2, 4.5);
    await reviewAdded(product.id, 1, 5);
    await reviewAdded(product.id, 2, 3);
    await publish(stack, 'reviews.review.added', { reviewId: newId(), productId: product.id, authorId: newId(), rating: 9, ratingCount: 3, ratingAverage: 9 });
    await ratingsCopied();
    expect((await stack.gql(PUBLIC, { id: product.id })).data.product).toMatchObject({ rating: 4.5, reviewCount: 2 });

    await reviewAdded(product.id, 3, 13 / 3);
    await ratingsCopied();
    const listed = (await stack.gql(LISTING, { q: 'Copy Rated' })).data.products.edges.find((e: any) => e.node.id === product.id).node;
    expect(listed).toEqual({ id: product.id, stock: { available: 0 }, rating: 13 / 3, reviewCount: 3 });
  });

  it('sends its notice only once the copy holds the change', async () => {
    const product = await createProduct(stack, admin.token, { name: 'Copy Noticed', price: 100, currency: 'EUR' });
    const nats = await stack.nats();
    const notices = nats.subscribe(noticeSubject(stack.config.eventPrefix, CATALOG_COPIES_CHANGED));
    try {
      await nats.flush();
      await stockChanged(product.id, { onHand: 5, reserved: 0, available: 5, version: 1 });
      for await (const _notice of notices) {
        const [row] = await catalogSql(stack, 'SELECT available FROM product_stock WHERE product_id = ?', [product.id]);
        if (row?.available === 5) break;
        // A notice of another product's change (an earlier test's event) may come first: only this one must see the row.
      }
    } finally {
      notices.unsubscribe();
    }
    expect(await catalogSql(stack, 'SELECT available, on_hand, reserved FROM product_stock WHERE product_id = ?', [product.id]))
      .toEqual([{ available: 5, on_hand: 5, reserved: 0 }]);
  });
});
