import { startStack, Stack } from '../support/stack';
import { userWithRole } from '../support/users';
import { allPages, createCategory, createProduct, productsPage } from '../support/catalog';

let stack: Stack;
const ids: Record<string, string> = {};
const category: Record<string, string> = {};

const names = (page: any) => page.edges.map((e: any) => e.node.name);

beforeAll(async () => {
  stack = await startStack(['accounts', 'catalog']);
  const { token } = await userWithRole(stack, 'ADMIN');
  category.outdoors = (await createCategory(stack, token, 'Outdoors')).id;
  category.camping = (await createCategory(stack, token, 'Camping', category.outdoors)).id;
  category.lights = (await createCategory(stack, token, 'Lights', category.camping)).id;
  category.kitchen = (await createCategory(stack, token, 'Kitchen')).id;
  const add = async (key: string, name: string, price: number, categoryId: string | null, description = '') => {
    ids[key] = (await createProduct(stack, token, { name, description, price, currency: 'EUR', categoryId })).id;
  };
  await add('storm', 'Storm Lantern', 3500, category.lights, 'A sturdy light for the garden');
  await add('kit', 'Camping Kit', 12000, category.camping, 'Tent, stove and a small lantern');
  await add('boots', 'Hiking Boots', 9999, category.outdoors, 'Waterproof leather');
  await add('pan', 'Frying Pan', 2000, category.kitchen, 'Cast iron, heavy');
  await add('whisk', 'whisk', 1000, category.kitchen);
  await add('plain', 'Unfiled Thing', 999, null);
  // Many products tied on name, price and rank, so that pages must break ties to neither skip nor repeat.
  for (let i = 0; i < 24; i++) {
    await add(`g${i}`, i % 3 ? 'Gadget' : `Gadget ${String.fromCharCode(97 + i)}`, 1000 + (i % 4) * 500, i % 2 ? category.kitchen : null, i % 5 ? 'useful gadget' : 'handy');
  }
});
afterAll(async () => { await stack?.stop(); });

describe('searching products', () => {
  it('ranks a name match above a description match, with stemming and web-search syntax', async () => {
    const page = await productsPage(stack, { filter: { search: 'lantern' } });
    expect(names(page)).toEqual(['Storm Lantern', 'Camping Kit']);
    expect(page.totalCount).toBe(2);
    expect(names(await productsPage(stack, { filter: { search: 'LANTERNS' } }))).toEqual(['Storm Lantern', 'Camping Kit']);
    expect(names(await productsPage(stack, { filter: { search: 'lantern -storm' } }))).toEqual(['Camping Kit']);
    expect(names(await productsPage(stack, { filter: { search: '"cast iron"' } }))).toEqual(['Frying Pan']);
    expect(names(await productsPage(stack, { filter: { search: 'boots or pan' }, sort: 'NAME' }))).toEqual(['Frying Pan', 'Hiking Boots']);
  });

  it('takes any search text as data: quotes, operators, stop words and SQL find nothing or something, never fail', async () => {
    for (const search of ["'; DROP TABLE products; --", '"unclosed', '-', 'or', 'the', '&|!:*()', '   ']) {
      const page = await productsPage(stack, { filter: { search } });
      expect(page.edges.length).toBe(page.totalCount > 20 ? 20 : page.totalCount);
    }
    expect((await productsPage(stack, { filter: { search: 'the' } })).totalCount).toBe(0);
    expect((await productsPage(stack, { filter: { search: '   ' } })).totalCount).toBe(30);
  });
});

describe('filtering products', () => {
  it('filters by a category and everything below it', async () => {
    const count = async (categoryId: string) => (await productsPage(stack, { filter: { categoryId } })).totalCount;
    expect(await count(category.lights)).toBe(1);
    expect(await count(category.camping)).toBe(2);
    expect(await count(category.outdoors)).toBe(3);
    expect(await count(category.kitchen)).toBe(14);
    expect(await count('00000000-0000-4000-8000-000000000000')).toBe(0);
    const both = await productsPage(stack, { filter: { categoryId: category.outdoors, search: 'lantern' } });
    expect(names(both)).toEqual(['Storm Lantern', 'Camping Kit']);
  });

  it('filters by an inclusive price range in minor units, totalCount included', async () => {
    const { nodes } = await allPages(stack, { filter: { minPrice: 1000, maxPrice: 2000 }, sort: 'PRICE_ASC' }, 7);
    const all = (await allPages(stack, {}, 100)).nodes;
    const expected = all.filter((p) => p.price.amount >= 1000 && p.price.amount <= 2000).map((p) => p.id).sort();
    expect(nodes.map((p) => p.id).sort()).toEqual(expected);
    expect(nodes.map((p) => p.name)).toEqual(expect.arrayContaining(['whisk', 'Frying Pan']));
    expect(nodes.map((p) => p.id)).not.toContain(ids.plain);
    expect((await productsPage(stack, { filter: { minPrice: 1000, maxPrice: 2000 } })).totalCount).toBe(expected.length);
    expect((await productsPage(stack, { filter: { minPrice: 12000 } })).edges.map((e: any) => e.node.id)).toEqual([ids.kit]);
  });
});

describe('sorting and paging products', () => {
  const ordered: Record<string, (a: any, b: any) => boolean> = {
    NEWEST: (a, b) => a.createdAt > b.createdAt || (a.createdAt === b.createdAt && a.id > b.id),
    NAME: (a, b) => a.name.toLowerCase() < b.name.toLowerCase() || (a.name.toLowerCase() === b.name.toLowerCase() && a.id < b.id),
    PRICE_ASC: (a, b) => a.price.amount < b.price.amount || (a.price.amount === b.price.amount && a.id < b.id),
    PRICE_DESC: (a, b) => a.price.amount > b.price.amount || (a.price.amount === b.price.amount && a.id > b.id),
  };

  it.each(Object.keys(ordered))('pages through %s to the end with first: 7, each product exactly once', async (sort) => {
    const { nodes, totalCount, pages } = await allPages(stack, { sort }, 7);
    expect(totalCount).toBe(30);
    expect(pages).toBe(5);
    expect(new Set(nodes.map((n) => n.id)).size).toBe(30);
    nodes.slice(1).forEach((node, i) => expect(ordered[sort](nodes[i], node)).toBe(true));
  });

  it('sorts RELEVANCE by rank with a search, and as NEWEST without one', async () => {
    const relevance = await allPages(stack, { sort: 'RELEVANCE' }, 7);
    const newest = await allPages(stack, { sort: 'NEWEST' }, 7);
    expect(relevance.nodes.map((n) => n.id)).toEqual(newest.nodes.map((n) => n.id));

    const ranked = await allPages(stack, { filter: { search: 'gadget' } }, 7);
    expect(ranked.totalCount).toBe(24);
    expect(new Set(ranked.nodes.map((n) => n.id)).size).toBe(24);
    // All match by name; those whose description also says "gadget" rank first, ties newest first.
    const nameOnly = [0, 5, 10, 15, 20].map((i) => ids[`g${i}`]);
    expect(ranked.nodes.slice(19).map((n) => n.id).sort()).toEqual([...nameOnly].sort());
    const tiers = [ranked.nodes.slice(0, 19), ranked.nodes.slice(19)];
    for (const tier of tiers) tier.slice(1).forEach((n, i) => expect(ordered.NEWEST(tier[i], n)).toBe(true));
  });

  it('answers NAME sort case-insensitively', async () => {
    const page = await productsPage(stack, { sort: 'NAME', filter: { categoryId: category.kitchen }, first: 100 });
    const list = names(page);
    expect(list[list.length - 1]).toBe('whisk');
    expect(list[0]).toBe('Frying Pan');
  });
});
