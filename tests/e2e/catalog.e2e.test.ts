import { startStack, Stack } from '../support/stack';
import { codes, gql } from '../support/graphql-client';
import { TestUser, registerUser, userWithRole } from '../support/users';
import { CREATE_CATEGORY, CREATE_PRODUCT, SET_RATE, UPDATE_PRODUCT, createCategory, createProduct, expectClientError } from '../support/catalog';

const PRODUCT = `query($id: ID, $slug: String) { product(id: $id, slug: $slug) { id slug name description category { name parent { name } } price { amount currency } } }`;
const CATEGORIES = `{ categories { name slug parent { name } children { name } } }`;

let stack: Stack;
let admin: TestUser;
beforeAll(async () => {
  stack = await startStack(['accounts', 'catalog']);
  admin = await userWithRole(stack, 'ADMIN');
});
afterAll(async () => { await stack?.stop(); });

describe('catalog through the gateway', () => {
  it('creates a category tree and products, and browses them by id and slug', async () => {
    const clothing = await createCategory(stack, admin.token, 'Clothing');
    const scarves = await createCategory(stack, admin.token, 'Scarves & Shawls', clothing.id);
    expect(scarves.slug).toBe('scarves-shawls');
    const scarf = await createProduct(stack, admin.token, {
      name: 'Red Wool Scarf', description: 'Warm and soft.', categoryId: scarves.id, price: 2999, currency: 'eur',
    });
    expect(scarf).toMatchObject({ slug: 'red-wool-scarf', category: { id: scarves.id }, price: { amount: 2999, currency: 'EUR' } });

    const expected = {
      id: scarf.id, slug: 'red-wool-scarf', name: 'Red Wool Scarf', description: 'Warm and soft.',
      category: { name: 'Scarves & Shawls', parent: { name: 'Clothing' } }, price: { amount: 2999, currency: 'EUR' },
    };
    expect((await stack.gql(PRODUCT, { id: scarf.id })).data.product).toEqual(expected);
    expect((await stack.gql(PRODUCT, { slug: 'red-wool-scarf' })).data.product).toEqual(expected);

    const { categories } = (await stack.gql(CATEGORIES)).data;
    expect(categories).toEqual(expect.arrayContaining([
      { name: 'Clothing', slug: 'clothing', parent: null, children: [{ name: 'Scarves & Shawls' }] },
      { name: 'Scarves & Shawls', slug: 'scarves-shawls', parent: { name: 'Clothing' }, children: [] },
    ]));
    const names = categories.map((c: any) => c.name);
    expect(names).toEqual([...names].sort((a: string, b: string) => a.localeCompare(b)));
  });

  it('answers null for unknown and malformed ids and slugs, and wants exactly one of id or slug', async () => {
    for (const variables of [{ id: '00000000-0000-4000-8000-000000000000' }, { id: 'not-an-id' }, { id: "1'; DROP TABLE products; --" }, { slug: 'no-such-product' }, { slug: 'Not A Slug!' }]) {
      const res = await stack.gql(PRODUCT, variables);
      expect(res.errors).toBeUndefined();
      expect(res.data.product).toBeNull();
    }
    expectClientError(await stack.gql(PRODUCT, {}), 'BAD_USER_INPUT');
    expectClientError(await stack.gql(PRODUCT, { id: 'x', slug: 'y' }), 'BAD_USER_INPUT');
  });

  it('resolves Product and Category references in batches, null for malformed ids', async () => {
    const product = await createProduct(stack, admin.token, { name: 'Reference Mug', price: 900, currency: 'EUR' });
    const entities = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { id name } ... on Category { id } } }`;
    const res = await gql(stack.subgraphs.catalog!.url, entities, {
      r: [{ __typename: 'Product', id: product.id }, { __typename: 'Product', id: 'garbage' }, { __typename: 'Category', id: 'garbage' }],
    });
    expect(res.errors).toBeUndefined();
    expect(res.data._entities).toEqual([{ id: product.id, name: 'Reference Mug' }, null, null]);
  });

  it('generates unique slugs and refuses a slug in use with SLUG_TAKEN', async () => {
    const a = await createProduct(stack, admin.token, { name: 'Café Crème Mug!', price: 1200, currency: 'EUR' });
    const b = await createProduct(stack, admin.token, { name: 'Cafe creme mug', price: 1300, currency: 'EUR' });
    expect([a.slug, b.slug]).toEqual(['cafe-creme-mug', 'cafe-creme-mug-2']);
    const symbols = await createProduct(stack, admin.token, { name: '!!!', price: 1, currency: 'EUR' });
    expect(symbols.slug).toMatch(/^product(-\d+)?$/);

    const taken = await stack.gql(CREATE_PRODUCT, { input: { name: 'Other', slug: 'cafe-creme-mug', price: 1, currency: 'EUR' } }, admin.token);
    expectClientError(taken, 'BAD_USER_INPUT');
    expect(taken.errors![0].extensions).toMatchObject({ reason: 'SLUG_TAKEN', field: 'input.slug' });
    expect(taken.errors![0].message).toMatch(/slug is already used/);

    const steal = await stack.gql(UPDATE_PRODUCT, { id: b.id, input: { name: 'B', slug: 'cafe-creme-mug', price: 1, currency: 'EUR' } }, admin.token);
    expect(steal.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'SLUG_TAKEN' });

    const first = await createCategory(stack, admin.token, 'Mugs');
    const second = await createCategory(stack, admin.token, 'mugs');
    expect([first.slug, second.slug]).toEqual(['mugs', 'mugs-2']);
  });

  it('updates a product, keeping what the input omits; unknown ids are NOT_FOUND', async () => {
    const category = await createCategory(stack, admin.token, 'Lamps');
    const lamp = await createProduct(stack, admin.token, { name: 'Desk Lamp', description: 'Bright', categoryId: category.id, price: 4500, currency: 'EUR' });
    const updated = await stack.gql(UPDATE_PRODUCT, { id: lamp.id, input: { name: 'Desk Lamp Pro', price: 5200, currency: 'USD' } }, admin.token);
    expect(updated.data.updateProduct).toMatchObject({
      id: lamp.id, slug: 'desk-lamp', name: 'Desk Lamp Pro', description: 'Bright', category: { id: category.id }, price: { amount: 5200, currency: 'USD' },
    });
    const cleared = await stack.gql(UPDATE_PRODUCT, { id: lamp.id, input: { name: 'Lamp', slug: 'lamp', description: null, categoryId: null, price: 1, currency: 'EUR' } }, admin.token);
    expect(cleared.data.updateProduct).toMatchObject({ slug: 'lamp', description: '', category: null });

    for (const id of ['00000000-0000-4000-8000-000000000000', 'nope']) {
      expectClientError(await stack.gql(UPDATE_PRODUCT, { id, input: { name: 'X', price: 1, currency: 'EUR' } }, admin.token), 'NOT_FOUND');
    }
  });

  it('lets only ADMIN run the admin mutations', async () => {
    const customer = await registerUser(stack);
    const product = await createProduct(stack, admin.token, { name: 'Guarded', price: 100, currency: 'EUR' });
    const input = { name: 'Hack', price: 1, currency: 'EUR' };
    const attempts: [string, Record<string, unknown>][] = [
      [CREATE_PRODUCT, { input }], [UPDATE_PRODUCT, { id: product.id, input }], [CREATE_CATEGORY, { name: 'Hack' }], [SET_RATE, { c: 'USD', r: 2 }],
    ];
    for (const [query, variables] of attempts) {
      expect(codes(await stack.gql(query, variables))).toEqual(['UNAUTHENTICATED']);
      expect(codes(await stack.gql(query, variables, customer.token))).toEqual(['FORBIDDEN']);
    }
    expect((await stack.gql(PRODUCT, { id: product.id })).data.product.name).toBe('Guarded');
  });

  it('refuses invalid product input with BAD_USER_INPUT naming the field', async () => {
    const valid = { name: 'Valid', price: 100, currency: 'EUR' };
    const cases: [Record<string, unknown>, string][] = [
      [{ name: '   ' }, 'input.name'], [{ name: 'n'.repeat(201) }, 'input.name'],
      [{ description: 'd'.repeat(5001) }, 'input.description'],
      [{ slug: 'Bad Slug' }, 'input.slug'], [{ slug: '-dash' }, 'input.slug'], [{ slug: 'a'.repeat(121) }, 'input.slug'],
      [{ price: -1 }, 'input.price'], [{ price: 100_000_001 }, 'input.price'],
      [{ currency: 'EURO' }, 'input.currency'], [{ currency: 'ZZZ' }, 'input.currency'], [{ currency: 'x'.repeat(10_000) }, 'input.currency'],
      [{ categoryId: 'not-an-id' }, 'input.categoryId'], [{ categoryId: '00000000-0000-4000-8000-000000000000' }, 'input.categoryId'],
    ];
    for (const [change, field] of cases) {
      const res = await stack.gql(CREATE_PRODUCT, { input: { ...valid, ...change } }, admin.token);
      expectClientError(res, 'BAD_USER_INPUT');
      expect(res.errors![0].extensions!.field).toBe(field);
      expect(res.errors![0].message).toContain(field);
    }
    const category = await stack.gql(CREATE_CATEGORY, { name: 'c'.repeat(101) }, admin.token);
    expectClientError(category, 'BAD_USER_INPUT');
    expectClientError(await stack.gql(CREATE_CATEGORY, { name: 'Orphan', parentId: 'nope' }, admin.token), 'BAD_USER_INPUT');
  });
});
