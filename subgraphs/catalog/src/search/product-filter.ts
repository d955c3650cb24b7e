import { badInput, isId } from '@shop/platform';
import { ProductFilter } from '../generated/graphql';

/** A ProductFilter checked and normalised; null means "not filtered on". */
export interface SearchFilter {
  search: string | null;
  categoryId: string | null;
  minPrice: number | null;
  maxPrice: number | null;
  inStock: boolean | null;
}

export const MAX_SEARCH_LENGTH = 200;

function price(value: number | null | undefined, name: string): number | null {
  if (value === null || value === undefined) return null;
  if (value < 0) throw badInput(`\`filter.${name}\` may not be negative`, `filter.${name}`);
  return value;
}

export function parseFilter(filter: ProductFilter | null | undefined): SearchFilter {
  const search = filter?.search?.trim() || null;
  if (search !== null && search.length > MAX_SEARCH_LENGTH) {
    throw badInput(`\`filter.search\` may have at most ${MAX_SEARCH_LENGTH} characters`, 'filter.search');
  }
  if (search?.includes('\u0000')) throw badInput('`filter.search` may not contain the NUL character', 'filter.search');
  const categoryId = filter?.categoryId ?? null;
  if (categoryId !== null && !isId(categoryId)) throw badInput('`filter.categoryId` is not a category id', 'filter.categoryId');
  const minPrice = price(filter?.minPrice, 'minPrice');
  const maxPrice = price(filter?.maxPrice, 'maxPrice');
  if (minPrice !== null && maxPrice !== null && minPrice > maxPrice) {
    throw badInput('`filter.minPrice` may not exceed `filter.maxPrice`', 'filter.minPrice');
  }
  return { search, categoryId, minPrice, maxPrice, inStock: filter?.inStock ?? null };
}

/** The tsquery of a search, in web-search syntax with English stemming (matches the `search` column). */
export const TSQUERY = `websearch_to_tsquery('english', ?)`;

/** SQL conditions joined by AND (`true` when there are none), with their bound values in order. */
export interface Conditions { sql: string; bindings: unknown[] }

function and(parts: [string, unknown[]][]): Conditions {
  return { sql: parts.length ? parts.map(([sql]) => `(${sql})`).join(' AND ') : 'true', bindings: parts.flatMap(([, b]) => b) };
}

/** What narrows `products p` by search, category subtree and stock. */
export function productConditions(f: SearchFilter): Conditions {
  const parts: [string, unknown[]][] = [];
  if (f.search !== null) parts.push([`p.search @@ ${TSQUERY}`, [f.search]]);
  if (f.categoryId !== null) {
    parts.push([`p.category_id IN (
      WITH RECURSIVE subtree (id) AS (
        SELECT id FROM categories WHERE id = ?
        UNION SELECT c.id FROM categories c JOIN subtree s ON c.parent_id = s.id
      ) SELECT id FROM subtree)`, [f.categoryId]]);
  }
  // Products inventory never reported on have no row: they count as out of stock.
  const inStock = 'EXISTS (SELECT 1 FROM product_stock s WHERE s.product_id = p.id AND s.available > 0)';
  if (f.inStock === true) parts.push([inStock, []]);
  if (f.inStock === false) parts.push([`NOT ${inStock}`, []]);
  return and(parts);
}

/** What narrows the candidates `c` by price in the base currency (products without a rate never match). */
export function priceConditions(f: SearchFilter): Conditions {
  const parts: [string, unknown[]][] = [];
  if (f.minPrice !== null) parts.push(['c.base_amount >= ?', [f.minPrice]]);
  if (f.maxPrice !== null) parts.push(['c.base_amount <= ?', [f.maxPrice]]);
  return and(parts);
}
