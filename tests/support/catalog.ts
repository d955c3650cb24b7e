import { Stack } from './stack';
import { GqlResponse, ok } from './graphql-client';
import { subgraphSql } from './database';

export const PRODUCT_FIELDS = 'id slug name description createdAt category { id name } price { amount currency }';
export const CREATE_PRODUCT = `mutation($input: ProductInput!) { createProduct(input: $input) { ${PRODUCT_FIELDS} } }`;
export const UPDATE_PRODUCT = `mutation($id: ID!, $input: ProductInput!) { updateProduct(id: $id, input: $input) { ${PRODUCT_FIELDS} } }`;
export const CREATE_CATEGORY = `mutation($name: String!, $parentId: ID) { createCategory(name: $name, parentId: $parentId) { id slug name parent { id } } }`;
export const SET_RATE = `mutation($c: String!, $r: Float!) { setExchangeRate(currency: $c, rate: $r) }`;
export const PRODUCTS = `query($first: Int, $after: String, $filter: ProductFilter, $sort: ProductSort) {
  products(first: $first, after: $after, filter: $filter, sort: $sort) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id name createdAt price { amount currency } } }
  }
}`;

export interface ProductInput {
  name: string; slug?: string | null; description?: string | null; categoryId?: string | null; price: number; currency: string;
}

/** Creates a product as an ADMIN and returns it (fields of PRODUCT_FIELDS). */
export async function createProduct(stack: Stack, token: string, input: ProductInput): Promise<any> {
  return ok(await stack.gql(CREATE_PRODUCT, { input }, token), 'createProduct');
}

export async function createCategory(stack: Stack, token: string, name: string, parentId?: string): Promise<{ id: string; slug: string; name: string }> {
  return ok(await stack.gql(CREATE_CATEGORY, { name, parentId }, token), 'createCategory');
}

export async function setRate(stack: Stack, token: string, currency: string, rate: number): Promise<void> {
  ok(await stack.gql(SET_RATE, { c: currency, r: rate }, token), 'setExchangeRate');
}

/** One page of `products`, failing on any error. */
export async function productsPage(stack: Stack, variables: Record<string, unknown>, token?: string): Promise<any> {
  return ok(await stack.gql(PRODUCTS, variables, token), 'products');
}

/** Walks every page of a query with `first`, returning the nodes in order and the totalCount of the first page. */
export async function allPages(stack: Stack, variables: Record<string, unknown>, first: number): Promise<{ nodes: any[]; totalCount: number; pages: number }> {
  const nodes: any[] = [];
  let after: string | null = null;
  let pages = 0;
  let totalCount = -1;
  for (;;) {
    const page: any = await productsPage(stack, { ...variables, first, after });
    pages += 1;
    if (totalCount < 0) totalCount = page.totalCount;
    nodes.push(...page.edges.map((e: any) => e.node));
    if (!page.pageInfo.hasNextPage) return { nodes, totalCount, pages };
    expect(page.edges).toHaveLength(first);
    after = page.pageInfo.endCursor;
  }
}

/** Runs SQL against the catalog subgraph's own database (to observe what the consumer recorded). */
export function catalogSql<T = any>(stack: Stack, sql: string, params: unknown[] = []): Promise<T[]> {
  return subgraphSql<T>(stack, 'catalog', sql, params);
}

/** Asserts an answer carries only client errors with one of the codes, no stack trace, no internal error. */
export function expectClientError(res: GqlResponse, code: string): void {
  expect(res.errors?.length).toBeGreaterThan(0);
  expect(res.errors!.map((e) => e.extensions?.code)).toEqual(res.errors!.map(() => code));
  expect(JSON.stringify(res)).not.toMatch(/INTERNAL_SERVER_ERROR|stacktrace|\.ts:\d+/);
}
