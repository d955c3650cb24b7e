import { badInput, decodeCursor, isId } from '@shop/platform';
import { ProductSort } from '../generated/graphql';

/** One column of an order: the SQL it sorts on (over candidates `c`), its direction, and how a cursor holds it. */
interface SortKey {
  expr: string;
  /** What the cursor stores, when not `expr` itself. */
  cursorExpr?: string;
  dir: 'asc' | 'desc';
  /** SQL of a cursor value bound in place of `?`. */
  param: string;
  valid(value: unknown): boolean;
}

const id = (dir: 'asc' | 'desc'): SortKey => ({ expr: 'c.id', dir, param: '?::uuid', valid: isId });
// Timestamps travel as exact integer microseconds since 1970 (a JS Date would drop the microseconds);
// 17 digits stay far inside PostgreSQL's timestamp range, so no cursor can make the query fail.
const createdAt: SortKey = {
  expr: 'c.created_at', cursorExpr: '(extract(epoch FROM c.created_at) * 1000000)::bigint', dir: 'desc',
  param: `(timestamptz 'epoch' + ?::bigint * interval '1 microsecond')`,
  valid: (v) => typeof v === 'string' && /^-?\d{1,17}$/.test(v),
};
// Products whose currency has no rate have no base amount: they sort after all others, either way.
const priceMissing: SortKey = { expr: '(c.base_amount IS NULL)::int', dir: 'asc', param: '?::int', valid: (v) => v === 0 || v === 1 };
const baseAmount = (dir: 'asc' | 'desc'): SortKey => ({
  expr: 'coalesce(c.base_amount, 0)', dir, param: '?::numeric', valid: (v) => typeof v === 'string' && /^\d{1,30}$/.test(v),
});
const text = (v: unknown) => typeof v === 'string' && v.length <= 1000 && !v.includes('\u0000');

/** The orders products can come in; ids break every tie so that keyset pages never skip or repeat. */
const ORDERS = {
  RANK: [{ expr: 'c.rank', dir: 'desc', param: '?::float8', valid: (v: unknown) => typeof v === 'number' && Number.isFinite(v) }, createdAt, id('desc')],
  NEWEST: [createdAt, id('desc')],
  // Case-insensitive whatever the database collation (C sorts every capital before every small letter).
  NAME: [{ expr: 'lower(c.name)', dir: 'asc', param: '?::text', valid: text }, id('asc')],
  PRICE_ASC: [priceMissing, baseAmount('asc'), id('asc')],
  PRICE_DESC: [priceMissing, baseAmount('desc'), id('desc')],
} satisfies Record<string, SortKey[]>;

export type OrderName = keyof typeof ORDERS;

export interface Order { name: OrderName; keys: SortKey[] }

/** RELEVANCE ranks search matches; without a search there is nothing to rank, so it is NEWEST. */
export function orderFor(sort: ProductSort, searching: boolean): Order {
  const name: OrderName = sort === 'RELEVANCE' ? (searching ? 'RANK' : 'NEWEST') : sort;
  return { name, keys: ORDERS[name] };
}

/** The sort values of `after`, checked against the order; a cursor of another sort or search is refused. */
export function parseAfter(after: string | null | undefined, order: Order): unknown[] | null {
  const keys = decodeCursor(after);
  if (keys === null) return null;
  const [name, ...values] = keys;
  if (name !== order.name || values.length !== order.keys.length || !order.keys.every((k, i) => k.valid(values[i]))) {
    throw badInput('`after` is not a cursor of this query (the sort or search changed?)', 'after');
  }
  return values;
}

/** Extra select list: the sort values of each row, as k0, k1... */
export function sortColumns(order: Order): string {
  return order.keys.map((k, i) => `${k.cursorExpr ?? k.expr} AS k${i}`).join(', ');
}

/** The cursor keys of a row selected with sortColumns. */
export function cursorKeys(order: Order, row: Record<string, unknown>): unknown[] {
  return [order.name, ...order.keys.map((_k, i) => row[`k${i}`])];
}

export function orderBy(order: Order): string {
  return order.keys.map((k) => `${k.expr} ${k.dir}`).join(', ');
}

/** The same order over rows selected with sortColumns, by their k0, k1... (each orders as its key's expression). */
export function orderBySortColumns(order: Order, table: string): string {
  return order.keys.map((k, i) => `${table}.k${i} ${k.dir}`).join(', ');
}

/**
 * Rows strictly after the cursor in this order. SQL is assembled from the
 * fixed key expressions above; every value is a bound parameter.
 */
export function afterPredicate(order: Order, values: unknown[]): { sql: string; bindings: unknown[] } {
  const { keys } = order;
  if (keys.every((k) => k.dir === keys[0].dir)) {
    // One direction: a row comparison, which an index on the same columns serves.
    const op = keys[0].dir === 'asc' ? '>' : '<';
    return { sql: `(${keys.map((k) => k.expr).join(', ')}) ${op} (${keys.map((k) => k.param).join(', ')})`, bindings: values };
  }
  const ors: string[] = [];
  const bindings: unknown[] = [];
  keys.forEach((key, i) => {
    const parts = keys.slice(0, i).map((k, j) => { bindings.push(values[j]); return `${k.expr} = ${k.param}`; });
    bindings.push(values[i]);
    parts.push(`${key.expr} ${key.dir === 'asc' ? '>' : '<'} ${key.param}`);
    ors.push(`(${parts.join(' AND ')})`);
  });
  return { sql: `(${ors.join(' OR ')})`, bindings };
}
