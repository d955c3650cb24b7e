import { startStack, Stack } from '../support/stack';
import { userWithRole } from '../support/users';
import { PRODUCTS, createProduct, expectClientError, productsPage } from '../support/catalog';

const cursor = (keys: unknown) => Buffer.from(JSON.stringify(keys)).toString('base64url');
const UUID = '00000000-0000-4000-8000-000000000000';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack(['accounts', 'catalog']);
  const { token } = await userWithRole(stack, 'ADMIN');
  for (let i = 0; i < 3; i++) await createProduct(stack, token, { name: `Item ${i}`, price: 100 * i, currency: 'EUR' });
});
afterAll(async () => { await stack?.stop(); });

describe('products query arguments', () => {
  it('caps `first` at 100 and refuses negative or huge values with BAD_USER_INPUT', async () => {
    for (const first of [-1, 101, 1000, 2 ** 31, 1e20]) {
      const res = await stack.gql(PRODUCTS, { first });
      expectClientError(res, 'BAD_USER_INPUT');
    }
    expect((await stack.gql(PRODUCTS, { first: 101 })).errors![0].message).toMatch(/at most 100/);
    expect((await stack.gql(PRODUCTS, { first: -1 })).errors![0].message).toMatch(/non-negative/);
    const literal = await stack.gql('{ products(first: 99999999999) { totalCount } }');
    expectClientError(literal, 'GRAPHQL_VALIDATION_FAILED');

    const empty = await productsPage(stack, { first: 0 });
    expect(empty).toMatchObject({ edges: [], totalCount: 3, pageInfo: { hasNextPage: true, endCursor: null } });
    expect((await productsPage(stack, { first: 100 })).edges).toHaveLength(3);
    expect((await productsPage(stack, {})).edges).toHaveLength(3);
  });

  it('refuses malformed, foreign and tampered cursors with BAD_USER_INPUT', async () => {
    const newest = await productsPage(stack, { first: 1, sort: 'NEWEST' });
    const bad = [
      'garbage!!', '', cursor({ not: 'an array' }), Buffer.from('not json').toString('base64url'),
      cursor(['NEWEST']), cursor(['NEWEST', '1', UUID, 'extra']), cursor(['NEWEST', '2026-02-30', UUID]),
      cursor(['NEWEST', '9'.repeat(40), UUID]), cursor(['NEWEST', '1', 'not-a-uuid']), cursor(['NAME', 'a\u0000b', UUID]),
      cursor(['PRICE_ASC', 2, '100', UUID]), cursor(['PRICE_ASC', 0, '-5', UUID]), cursor(['RANK', 'NaN', '1', UUID]),
      cursor([{}, [], null]), 'x'.repeat(10_000),
    ];
    for (const after of bad) {
      expectClientError(await stack.gql(PRODUCTS, { after, sort: 'NEWEST' }), 'BAD_USER_INPUT');
    }
    // A cursor is bound to its order: NEWEST's cursor means nothing to NAME, nor to a ranked search.
    expectClientError(await stack.gql(PRODUCTS, { after: newest.pageInfo.endCursor, sort: 'NAME' }), 'BAD_USER_INPUT');
    expectClientError(await stack.gql(PRODUCTS, { after: newest.pageInfo.endCursor, filter: { search: 'item' } }), 'BAD_USER_INPUT');
    // Well-formed cursors pointing anywhere are fine.
    expect((await productsPage(stack, { after: cursor(['NEWEST', '0', UUID]), sort: 'NEWEST' })).edges).toHaveLength(0);
    expect((await productsPage(stack, { after: cursor(['NEWEST', '-99999999999999999', UUID]), sort: 'NEWEST' })).edges).toHaveLength(0);
    expect((await productsPage(stack, { after: cursor(['NEWEST', '99999999999999999', UUID]), sort: 'NEWEST' })).edges).toHaveLength(3);
    expect((await productsPage(stack, { after: cursor(['RANK', 1e300, '1', UUID]), filter: { search: 'item' } })).edges).toHaveLength(3);
  });

  it('refuses bad filters with BAD_USER_INPUT naming them', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ search: 's'.repeat(201) }, 'filter.search'], [{ search: 'a\u0000b' }, 'filter.search'],
      [{ categoryId: 'not-an-id' }, 'filter.categoryId'], [{ minPrice: -1 }, 'filter.minPrice'],
      [{ maxPrice: -5 }, 'filter.maxPrice'], [{ minPrice: 10, maxPrice: 5 }, 'filter.minPrice'],
    ];
    for (const [filter, field] of cases) {
      const res = await stack.gql(PRODUCTS, { filter });
      expectClientError(res, 'BAD_USER_INPUT');
      expect(res.errors![0].extensions!.field).toBe(field);
    }
    expectClientError(await stack.gql(PRODUCTS, { filter: { minPrice: 2 ** 40 } }), 'BAD_USER_INPUT');
    expectClientError(await stack.gql(PRODUCTS, { sort: 'CHEAPEST' }), 'BAD_USER_INPUT');
  });
});
