import type { Knex } from '@mikro-orm/postgresql';
import { Connection, RATE_SCALE, minorUnitDigits, pageSize, preparedRows, toConnection } from '@shop/platform';
import { CatalogContext } from '../context';
import { BASE_CURRENCY } from '../exchange-rate/base-currency';
import { QueryProductsArgs } from '../generated/graphql';
import { PRODUCT_COLUMNS, Product } from '../product/product.entity';
import { COPY_COLUMNS, categoryFromRow, copyJoins, productFromRow } from '../read-rows';
import { SearchFilter, TSQUERY, parseFilter, priceConditions, productConditions } from './product-filter';
import { Order, afterPredicate, cursorKeys, orderBy, orderBySortColumns, orderFor, parseAfter, sortColumns } from './product-order';

/**
 * The price in minor units of the base currency: the product's own amount
 * in EUR, otherwise converted at the stored rate and rounded half away from
 * zero (PostgreSQL's round(numeric)), exactly as `price(currency: "EUR")`
 * shows it. NULL when the product's currency has no rate.
 */
const BASE_AMOUNT = `CASE WHEN p.price_currency = ? THEN p.price_amount::numeric
  ELSE round(p.price_amount::numeric * ?::numeric / (r.rate_scaled::numeric * power(10::numeric, r.minor_digits))) END`;

const CANDIDATE_COLUMNS = PRODUCT_COLUMNS.map((c) => `p.${c}`).join(', ');

/** What the page's rows carry: the product's columns and the sort keys (k0, k1...) its cursor is made of. */
const pageColumns = (order: Order) => [...PRODUCT_COLUMNS.map((c) => `page.${c}`), ...order.keys.map((_k, i) => `page.k${i}`)].join(', ');
const BASE_FACTOR = (10n ** BigInt(minorUnitDigits(BASE_CURRENCY)) * RATE_SCALE).toString();

/** The candidates `c`: products matching the filter that reads `products`, with what ordering and price filtering need. */
function candidates(filter: SearchFilter): { sql: string; bindings: unknown[] } {
  const where = productConditions(filter);
  const rank = filter.search !== null ? `, ts_rank(p.search, ${TSQUERY})::float8 AS rank` : '';
  return {
    sql: `WITH c AS NOT MATERIALIZED (
      SELECT ${CANDIDATE_COLUMNS}, ${BASE_AMOUNT} AS base_amount${rank}
      FROM products p LEFT JOIN exchange_rates r ON r.currency = p.price_currency
      WHERE ${where.sql})`,
    bindings: [BASE_CURRENCY, BASE_FACTOR, ...(filter.search !== null ? [filter.search] : []), ...where.bindings],
  };
}

/**
 * Every stored exchange rate (a few rows), as text: a listing asks for prices
 * in other currencies, and the rates come with its page instead of in a
 * statement of their own. `rate_scaled` travels as text, exact beyond 2^53.
 */
const RATES = `(SELECT json_agg(json_build_array(currency, rate_scaled::text, minor_digits, (extract(epoch FROM updated_at) * 1000)::float8))
  FROM exchange_rates)::text`;

/**
 * The page and the total in one statement: the total is a subquery over the
 * same candidates (evaluated once), and each product comes with its category
 * and its copies of stock and rating (joined after the limit, so only the
 * page's rows are joined).
 */
function pageStatement(filter: SearchFilter, order: Order, after: unknown[] | null, limit: number): { sql: string; bindings: unknown[] } {
  const c = candidates(filter);
  const price = priceConditions(filter);
  const afterSql = after ? afterPredicate(order, after) : { sql: 'true', bindings: [] };
  return {
    sql: `${c.sql}
      SELECT ${pageColumns(order)}, (SELECT count(*)::int FROM c WHERE ${price.sql}) AS total, ${RATES} AS rates,
        cat.id AS cat_id, cat.parent_id AS cat_parent_id, cat.name AS cat_name, cat.slug AS cat_slug, cat.created_at AS cat_created_at,
        ${COPY_COLUMNS}
      FROM (SELECT ${PRODUCT_COLUMNS.map((c) => `c.${c}`).join(', ')}, ${sortColumns(order)} FROM c WHERE ${price.sql} AND ${afterSql.sql} ORDER BY ${orderBy(order)} LIMIT ?) page
      LEFT JOIN categories cat ON cat.id = page.category_id
      ${copyJoins('page.id')}
      ORDER BY ${orderBySortColumns(order, 'page')}`,
    bindings: [...c.bindings, ...price.bindings, ...price.bindings, ...afterSql.bindings, limit],
  };
}

/** The total alone, for a page that came back empty (its statement then has no row to carry the total on). */
function countStatement(filter: SearchFilter): { sql: string; bindings: unknown[] } {
  const c = candidates(filter);
  const price = priceConditions(filter);
  return { sql: `${c.sql} SELECT count(*)::int AS total FROM c WHERE ${price.sql}`, bindings: [...c.bindings, ...price.bindings] };
}

/** Primes the request's rate loader with the rates read with the page; a currency without a rate still loads (as none). */
function primeRates(ctx: CatalogContext, rates: string | null): void {
  for (const [currency, scaled, minorDigits, updatedAt] of JSON.parse(rates ?? '[]') as [string, string, number, number][]) {
    const rate = { currency, rateScaled: BigInt(scaled), minorDigits, updatedAt: new Date(updatedAt) };
    ctx.loaders.exchangeRate.prime(currency, rate);
    ctx.loaders.known.exchangeRate.set(currency, rate);
  }
}

/**
 * A listing's statement, prepared (its planning costs more than running it
 * on a page), which is why its columns are named, never `page.*`.
 */
function run(knex: Knex, statement: { sql: string; bindings: unknown[] }): Promise<Record<string, any>[]> {
  return preparedRows(knex, statement.sql, statement.bindings);
}

/**
 * A page of products by keyset pagination: one statement for the page, its
 * total, its categories, stock and ratings and the exchange rates (a second for the total when
 * the page is empty).
 */
export async function searchProducts(ctx: CatalogContext, args: QueryProductsArgs): Promise<Connection<Product>> {
  const size = pageSize(args.first);
  const filter = parseFilter(args.filter);
  const order = orderFor(args.sort ?? 'RELEVANCE', filter.search !== null);
  const after = parseAfter(args.after, order);
  const knex = ctx.em.getKnex();
  // Plain SQL mapped by hand: a listing only answers a query, it needs no managed entities nor a query builder.
  const rows = await run(knex, pageStatement(filter, order, after, size + 1));
  const total: number = rows.length ? rows[0].total : (await run(knex, countStatement(filter)))[0].total;
  if (rows.length) primeRates(ctx, rows[0].rates);
  const items = rows.map((row) => {
    if (row.cat_id !== null && !ctx.loaders.known.category.has(row.cat_id)) {
      const category = categoryFromRow(row, 'cat_');
      ctx.loaders.category.prime(category.id, category);
      ctx.loaders.known.category.set(category.id, category);
    }
    return { keys: cursorKeys(order, row), product: productFromRow(row) };
  });
  const page = toConnection(items, size, total, (item) => item.keys);
  return { ...page, edges: page.edges.map((edge) => ({ cursor: edge.cursor, node: edge.node.product })) };
}
