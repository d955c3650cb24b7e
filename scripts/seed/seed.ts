import { gql } from '../../tests/support/graphql-client';
import { DEMO_CATEGORIES, DEMO_RATES, demoProducts } from './demo-catalog';

/** Calls the gateway as the admin; throws with the server's message on any error. */
async function call(url: string, token: string, query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const res = await gql(url, query, variables, token);
  if (res.errors?.length) throw Object.assign(new Error(res.errors[0].message), { code: res.errors[0].extensions?.code });
  return res.data;
}

/** Retries while inventory has not yet heard of a product just created (it learns through an event). */
async function setStock(url: string, token: string, productId: string, onHand: number): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await call(url, token, 'mutation($p: ID!, $n: Int!) { setStock(productId: $p, onHand: $n) { available } }', { p: productId, n: onHand });
      return;
    } catch (e: any) {
      if (e.code !== 'NOT_FOUND' || attempt >= 100) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Seeds the demo catalog through the gateway, as an admin would; does nothing when products exist. */
export async function seedDemoCatalog(url: string, admin: { email: string; password: string }): Promise<number> {
  const auth = await gql(url, 'mutation($i: LoginInput!) { login(input: $i) { accessToken userErrors { message } } }', { i: admin });
  const token = auth.data?.login?.accessToken;
  if (!token) throw new Error(`seed: cannot sign in as ${admin.email}`);
  const existing = await call(url, token, '{ products(first: 1) { totalCount } }');
  if (existing.products.totalCount > 0) return 0;

  for (const { currency, rate } of DEMO_RATES) {
    await call(url, token, 'mutation($c: String!, $r: Float!) { setExchangeRate(currency: $c, rate: $r) }', { c: currency, r: rate });
  }
  const categoryIds = new Map<string, string>();
  for (const { name, children } of DEMO_CATEGORIES) {
    const parent = await call(url, token, 'mutation($n: String!) { createCategory(name: $n) { id } }', { n: name });
    for (const child of children) {
      const sub = await call(url, token, 'mutation($n: String!, $p: ID) { createCategory(name: $n, parentId: $p) { id } }', { n: child, p: parent.createCategory.id });
      categoryIds.set(child, sub.createCategory.id);
    }
  }
  const products = demoProducts();
  for (const p of products) {
    const created = await call(url, token, 'mutation($i: ProductInput!) { createProduct(input: $i) { id } }', {
      i: { name: p.name, description: p.description, categoryId: categoryIds.get(p.category), price: p.price, currency: p.currency },
    });
    await setStock(url, token, created.createProduct.id, p.stock);
  }
  return products.length;
}
