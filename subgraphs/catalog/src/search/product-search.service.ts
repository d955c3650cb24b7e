import type { Knex } from '@mikro-orm/postgresql';
import { Connection, RATE_SCALE, minorUnitDigits, pageSize, toConnection } from '@shop/platform';
import { CatalogContext } from '../context';
import { BASE_CURRENCY } from '../exchange-rate/base-currency';
import { QueryProductsArgs } from '../generated/graphql';
import { PRODUCT_COLUMNS, Product } from '../product/product.entity';
import { productFromRow } from '../read-rows';
import { SearchFilter, TSQUERY, parseFilter, wherePrice, whereProduct } from './product-filter';
import { Order, afterPredicate, cursorKeys, orderBy, orderFor, parseAfter, sortColumns } from './product-order';

/**
 * The price in minor units of the base currency: the product's own amount
 * in EUR, otherwise converted at the stored rate and rounded half away from
 * zero (PostgreSQL's round(numeric)), exactly as `price(currency: "EUR")`
 * shows it. NULL when the product's currency has no rate.
 */
const BASE_AMOUNT = `CASE WHEN p.price_currency = ? THEN p.price_amount::numeric
  ELSE round(p.price_amount::numeric * ?::numeric / (r.rate_scaled::numeric * power(10::numeric, r.minor_digits))) END`;

/** Products matching the filter that reads `products`, with what ordering and price filtering need. */
function candidates(knex: Knex, filter: SearchFilter): Knex.QueryBuilder {
  const baseFactor = (10n ** BigInt(minorUnitDigits(BASE_CURRENCY)) * RATE_SCALE).toString();
  const q = knex('products as p')
    .leftJoin('exchange_rates as r', 'r.currency', 'p.price_currency')
    .select(PRODUCT_COLUMNS.map((c) => `p.${c}`))
    .select(knex.raw(`${BASE_AMOUNT} AS base_amount`, [BASE_CURRENCY, baseFactor]));
  if (filter.search !== null) q.select(knex.raw(`ts_rank(p.search, ${TSQUERY})::float8 AS rank`, [filter.search]));
  whereProduct(q, filter);
  return q;
}

function pageQuery(knex: Knex, filter: SearchFilter, order: Order, after: unknown[] | null, limit: number): Knex.QueryBuilder {
  const q = knex.select('c.*', knex.raw(sortColumns(order))).from(candidates(knex, filter).as('c'));
  wherePrice(q, filter);
  if (after) {
    const { sql, bindings } = afterPredicate(order, after);
    q.whereRaw(sql, bindings as Knex.RawBinding[]);
  }
  return q.orderByRaw(orderBy(order)).limit(limit);
}

function countQuery(knex: Knex, filter: SearchFilter): Knex.QueryBuilder {
  const q = knex.select(knex.raw('count(*)::int AS total')).from(candidates(knex, filter).as('c'));
  wherePrice(q, filter);
  return q;
}

/** A page of products by keyset pagination: one statement for the page, one for the total. */
export async function searchProducts(ctx: CatalogContext, args: QueryProductsArgs): Promise<Connection<Product>> {
  const size = pageSize(args.first);
  const filter = parseFilter(args.filter);
  const order = orderFor(args.sort ?? 'RELEVANCE', filter.search !== null);
  const after = parseAfter(args.after, order);
  const knex = ctx.em.getKnex();
  // Straight through knex and mapped by hand: a listing only answers a query, it needs no managed entities.
  const [rows, counted] = await Promise.all([
    pageQuery(knex, filter, order, after, size + 1) as Promise<Record<string, unknown>[]>,
    countQuery(knex, filter) as Promise<{ total: number }[]>,
  ]);
  const items = rows.map((row) => ({ keys: cursorKeys(order, row), product: productFromRow(row) }));
  const page = toConnection(items, size, counted[0].total, (item) => item.keys);
  return { ...page, edges: page.edges.map((edge) => ({ cursor: edge.cursor, node: edge.node.product })) };
}
