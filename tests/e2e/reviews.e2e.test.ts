import { newId } from '@shop/platform';
import { startStack, Stack } from '../support/stack';
import { codes, gql } from '../support/graphql-client';
import { registerUser, userWithRole, TestUser } from '../support/users';
import { must, productWithStock } from '../support/shop';
import { eventually } from '../support/eventually';
import { consumerCaughtUp, publish, redeliver, storedEventsOf } from '../support/events';
import { subgraphSql } from '../support/database';
import { ADD_REVIEW, PRODUCT_REVIEWS, deliver, deliveredOrder, ratingsCopied } from '../support/reviews';

let stack: Stack;
let admin: TestUser;

beforeAll(async () => {
  stack = await startStack(['accounts', 'catalog', 'inventory', 'reviews']);
  admin = await userWithRole(stack, 'ADMIN');
});
afterAll(async () => { await stack?.stop(); });

const newProduct = () => productWithStock(stack, admin, 2500, 10);
const review = (token: string | null, productId: string, rating = 5, body = 'Does what it says.') =>
  stack.gql(ADD_REVIEW, { p: productId, r: rating, b: body }, token);
/** The product with its reviews, once catalog's copy of the ratings (which answers `rating`, `reviewCount`) has caught up. */
const productOf = async (id: string, first?: number, after?: string) => {
  await ratingsCopied(stack);
  return (await must(stack, PRODUCT_REVIEWS, { id, first, after })).product;
};

/** A refusal: the given code (never an internal error), no review in the answer. */
function expectRefused(res: Awaited<ReturnType<typeof review>>, code: string, field?: string): void {
  expect(codes(res)).toEqual([code]);
  expect(res.data?.addReview ?? null).toBeNull();
  if (field) expect(res.errors![0].extensions?.field).toBe(field);
}

describe('adding a review', () => {
  it('is refused before the order is delivered and accepted once it is, signed by the author', async () => {
    const productId = await newProduct();
    const ada = await registerUser(stack, 'Ada Reviewer');
    expectRefused(await review(ada.token, productId), 'NOT_A_VERIFIED_PURCHASE', 'productId');

    await deliver(stack, ada, [productId]);
    const res = await review(ada.token, productId, 5, '  Warm, soft and well made.  ');
    expect(res.errors).toBeUndefined();
    expect(res.data.addReview).toMatchObject({ rating: 5, body: 'Warm, soft and well made.', author: { id: ada.id, name: 'Ada Reviewer' } });
    expect(Date.parse(res.data.addReview.createdAt)).toBeGreaterThan(Date.now() - 60_000);

    const product = await productOf(productId);
    expect(product).toMatchObject({ rating: 5, reviewCount: 1, reviews: { totalCount: 1 } });
    expect(product.reviews.edges.map((e: any) => e.node.id)).toEqual([res.data.addReview.id]);
  });

  it('shows the average of every customer\'s rating, and null while there is none', async () => {
    const productId = await newProduct();
    expect(await productOf(productId)).toEqual({
      id: productId, rating: null, reviewCount: 0, reviews: { totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, edges: [] },
    });
    const [a, b] = [await registerUser(stack), await registerUser(stack)];
    await deliver(stack, a, [productId]);
    await deliver(stack, b, [productId]);
    expect((await review(a.token, productId, 4)).errors).toBeUndefined();
    expect((await review(b.token, productId, 5)).errors).toBeUndefined();
    expect(await productOf(productId)).toMatchObject({ rating: 4.5, reviewCount: 2, reviews: { totalCount: 2 } });
    // Kept as a running count and sum, written with each review: reading it averages nothing.
    expect(await subgraphSql(stack, 'reviews', 'SELECT rating_count, rating_sum::int AS rating_sum FROM product_ratings WHERE product_id = ?', [productId]))
      .toEqual([{ rating_count: 2, rating_sum: 9 }]);
  });

  it('records reviews.review.added with the product\'s new rating', async () => {
    const productId = await newProduct();
    const [a, b] = [await registerUser(stack), await registerUser(stack)];
    await deliver(stack, a, [productId]);
    await deliver(stack, b, [productId]);
    const first = (await review(a.token, productId, 2)).data.addReview;
    const second = (await review(b.token, productId, 5)).data.addReview;
    const events = await eventually(async () => {
      const found = (await storedEventsOf(stack, 'reviews.review.added')).filter((e) => e.event.data.productId === productId);
      return found.length === 2 ? found : null;
    }, 'both review.added events published');
    expect(events.map((e) => e.event.data)).toEqual([
      { reviewId: first.id, productId, authorId: a.id, rating: 2, ratingAverage: 2, ratingCount: 1 },
      { reviewId: second.id, productId, authorId: b.id, rating: 5, ratingAverage: 3.5, ratingCount: 2 },
    ]);
    expect(events.every((e) => e.msgId === e.event.id)).toBe(true);
  });
});

describe('pages of reviews', () => {
  it('lists the newest first, page by page with cursors, to anyone', async () => {
    const productId = await newProduct();
    const authors = [await registerUser(stack, 'First'), await registerUser(stack, 'Second'), await registerUser(stack, 'Third')];
    const ids: string[] = [];
    for (const [i, author] of authors.entries()) {
      await deliver(stack, author, [productId]);
      ids.push((await review(author.token, productId, i + 3, `Review number ${i + 1}`)).data.addReview.id);
      await new Promise((r) => setTimeout(r, 5));
    }
    const first = (await productOf(productId, 2)).reviews;
    expect(first.totalCount).toBe(3);
    expect(first.edges.map((e: any) => [e.node.id, e.node.author.name])).toEqual([[ids[2], 'Third'], [ids[1], 'Second']]);
    expect(first.pageInfo).toEqual({ hasNextPage: true, endCursor: first.edges[1].cursor });

    const second = (await productOf(productId, 2, first.pageInfo.endCursor)).reviews;
    expect(second.totalCount).toBe(3);
    expect(second.edges.map((e: any) => e.node.id)).toEqual([ids[0]]);
    expect(second.pageInfo).toEqual({ hasNextPage: false, endCursor: second.edges[0].cursor });

    const rest = (await productOf(productId, 2, second.pageInfo.endCursor)).reviews;
    expect(rest.edges).toEqual([]);
    expect(rest.pageInfo.hasNextPage).toBe(false);
  });

  it('refuses a malformed cursor and a page size above 100 with BAD_USER_INPUT', async () => {
    const productId = await newProduct();
    const forged = Buffer.from(JSON.stringify(['yesterday', 'x'])).toString('base64url');
    for (const variables of [{ id: productId, after: 'not a cursor' }, { id: productId, after: forged }, { id: productId, first: 101 }]) {
      expect(codes(await stack.gql(PRODUCT_REVIEWS, variables))).toEqual(['BAD_USER_INPUT']);
    }
  });
});

describe('refusals', () => {
  let productId: string;
  let buyer: TestUser;
  beforeAll(async () => {
    productId = await newProduct();
    buyer = await registerUser(stack);
    await deliver(stack, buyer, [productId]);
  });

  it('refuses anonymous callers with UNAUTHENTICATED', async () => {
    expectRefused(await review(null, productId), 'UNAUTHENTICATED');
  });

  it('refuses a customer who never received the product', async () => {
    const other = await registerUser(stack);
    const elsewhere = await newProduct();
    await deliver(stack, other, [elsewhere]);
    expectRefused(await review(other.token, productId), 'NOT_A_VERIFIED_PURCHASE', 'productId');
    expectRefused(await review(buyer.token, elsewhere), 'NOT_A_VERIFIED_PURCHASE', 'productId');
  });

  it.each([0, 6, -1, 100])('refuses rating %d with BAD_USER_INPUT naming the rating', async (rating) => {
    const res = await review(buyer.token, productId, rating);
    expectRefused(res, 'BAD_USER_INPUT', 'rating');
    expect(res.errors![0].message).toMatch(/rating/);
  });

  it.each([['an empty', ''], ['a blank', ' \n\t '], ['a 2001-character', 'x'.repeat(2001)]])('refuses %s body with BAD_USER_INPUT naming the body', async (_what, body) => {
    const res = await review(buyer.token, productId, 4, body);
    expectRefused(res, 'BAD_USER_INPUT', 'body');
    expect(res.errors![0].message).toMatch(/body/);
  });

  it.each(['not-an-id', '', "1' OR '1'='1"])('refuses the malformed product id %j with BAD_USER_INPUT', async (id) => {
    expectRefused(await review(buyer.token, id), 'BAD_USER_INPUT', 'productId');
  });

  it('stored none of the refused reviews', async () => {
    expect(await productOf(productId)).toMatchObject({ rating: null, reviewCount: 0 });
  });

  it('accepts one review per customer and product, 2000 characters long, and refuses a second with ALREADY_REVIEWED', async () => {
    const body = 'é'.repeat(2000);
    const res = await review(buyer.token, productId, 3, body);
    expect(res.errors).toBeUndefined();
    expect(res.data.addReview.body).toBe(body);
    expectRefused(await review(buyer.token, productId, 5, 'Changed my mind'), 'ALREADY_REVIEWED', 'productId');
    expect(await productOf(productId)).toMatchObject({ rating: 3, reviewCount: 1 });
  });

  it('lets exactly one of simultaneous reviews by the same customer win', async () => {
    const contested = await newProduct();
    const customer = await registerUser(stack);
    await deliver(stack, customer, [contested]);
    const answers = await Promise.all([1, 2, 3, 4].map((rating) => review(customer.token, contested, rating)));
    const won = answers.filter((res) => res.data?.addReview);
    expect(won).toHaveLength(1);
    expect(answers.filter((res) => !res.data?.addReview).map(codes)).toEqual([['ALREADY_REVIEWED'], ['ALREADY_REVIEWED'], ['ALREADY_REVIEWED']]);
    expect(await productOf(contested)).toMatchObject({ rating: won[0].data.addReview.rating, reviewCount: 1, reviews: { totalCount: 1 } });
  });
});

describe('purchases learnt from orders.order.delivered', () => {
  it('changes nothing when the same delivery arrives again, as the same event or a new one', async () => {
    const [p1, p2] = [await newProduct(), await newProduct()];
    const customer = await registerUser(stack);
    const orderId = newId();
    // A product on two lines of the order is one purchase.
    const delivered = await publish(stack, 'orders.order.delivered', deliveredOrder(customer, [p1, p2, p1], orderId));
    await consumerCaughtUp(stack, 'reviews-order-delivered');
    const purchases = () => subgraphSql(stack, 'reviews', 'SELECT product_id FROM purchases WHERE order_id = ? ORDER BY product_id', [orderId]);
    const before = await purchases();
    expect(before.map((r) => r.product_id)).toEqual([p1, p2].sort());

    const stored = (await storedEventsOf(stack, 'orders.order.delivered')).filter((e) => e.event.id === delivered.id);
    await redeliver(stack, stored);
    await publish(stack, 'orders.order.delivered', deliveredOrder(customer, [p2, p1], orderId));
    await consumerCaughtUp(stack, 'reviews-order-delivered');
    expect(await purchases()).toEqual(before);

    expect((await review(customer.token, p1, 4)).errors).toBeUndefined();
    expectRefused(await review(customer.token, p1, 4), 'ALREADY_REVIEWED');
    expect((await review(customer.token, p2, 2)).errors).toBeUndefined();
  });

  it('drops a malformed delivery without recording a purchase or blocking the ones after it', async () => {
    const productId = await newProduct();
    const customer = await registerUser(stack);
    await publish(stack, 'orders.order.delivered', { ...deliveredOrder(customer, [productId]), customerId: 'nobody' });
    await deliver(stack, customer, [productId]);
    expect(await subgraphSql(stack, 'reviews', 'SELECT customer_id FROM purchases WHERE product_id = ?', [productId]))
      .toEqual([{ customer_id: customer.id }]);
  });
});

describe('the author of a review', () => {
  const AUTHOR = (fields: string) => `query($id: ID!) { product(id: $id) { reviews { edges { node { author { ${fields} } } } } } }`;
  let productId: string;
  let author: TestUser;
  beforeAll(async () => {
    productId = await newProduct();
    author = await registerUser(stack, 'Grace Author');
    await deliver(stack, author, [productId]);
    expect((await review(author.token, productId, 5)).errors).toBeUndefined();
  });

  it('is shown by name to other customers and to anonymous visitors', async () => {
    const other = await registerUser(stack);
    for (const token of [other.token, null]) {
      const res = await stack.gql(AUTHOR('id name'), { id: productId }, token);
      expect(res.errors).toBeUndefined();
      expect(res.data.product.reviews.edges).toEqual([{ node: { author: { id: author.id, name: 'Grace Author' } } }]);
    }
  });

  it('keeps the author\'s email from another customer (FORBIDDEN) but not from the author', async () => {
    const other = await registerUser(stack);
    const res = await stack.gql(AUTHOR('name email'), { id: productId }, other.token);
    expect(codes(res)).toContain('FORBIDDEN');
    expect(JSON.stringify(res)).not.toContain(author.email);
    const own = await stack.gql(AUTHOR('email'), { id: productId }, author.token);
    expect(own.errors).toBeUndefined();
    expect(own.data.product.reviews.edges[0].node.author.email).toBe(author.email);
  });
});

describe('products as the reviews subgraph resolves them', () => {
  const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { id rating reviewCount reviews { totalCount } } } }`;

  it('answers null for an id that cannot name a product, and an empty product for an unknown one', async () => {
    const unknown = newId();
    const res = await gql(stack.subgraphs.reviews!.url, ENTITIES, { r: [{ __typename: 'Product', id: 'nope' }, { __typename: 'Product', id: unknown }] });
    expect(res.errors).toBeUndefined();
    expect(res.data._entities).toEqual([null, { id: unknown, rating: null, reviewCount: 0, reviews: { totalCount: 0 } }]);
  });
});
