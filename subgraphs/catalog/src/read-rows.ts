import DataLoader from 'dataloader';
import type { Knex } from '@mikro-orm/postgresql';
import { preparedRows } from '@shop/platform';
import { Product } from './product/product.entity';
import { Category } from './category/category.entity';
import { ExchangeRate } from './exchange-rate/exchange-rate.entity';
import { ProductCopies, ProductView } from './product/product-view';

/**
 * The read path's rows, mapped straight to plain objects with the entities'
 * fields. Reads that only answer a query skip the ORM: hydrating entities
 * into an identity map costs more than the statements themselves on a
 * listing. Writes still load entities through the EntityManager. The
 * statements go through the ORM's knex, so they are counted like all others.
 */
export const PRODUCT_SELECT = `p.id, p.slug, p.name, p.description, p.category_id, p.price_amount, p.price_currency, p.created_at, p.updated_at`;

/** The copies of stock and rating (`copyJoins`) a product row carries. */
export const COPY_COLUMNS = `cs.available AS copy_available, cs.on_hand AS copy_on_hand, cs.reserved AS copy_reserved,
  cr.rating_count AS copy_rating_count, cr.rating_average AS copy_rating_average`;

/** Joins the copies of the product whose id is the column `id`. */
export const copyJoins = (id: string) =>
  `LEFT JOIN product_stock cs ON cs.product_id = ${id} LEFT JOIN product_ratings cr ON cr.product_id = ${id}`;

/** The copies in a row that has COPY_COLUMNS; no stock row means never counted, no rating row means no reviews. */
export function copiesFromRow(r: Record<string, any>, productId: string): ProductCopies {
  const counted = r.copy_available !== null && r.copy_available !== undefined;
  return {
    stock: counted
      ? { productId, available: r.copy_available, onHand: r.copy_on_hand, reserved: r.copy_reserved }
      : { productId, available: 0, onHand: 0, reserved: 0 },
    rating: r.copy_rating_count ? { count: r.copy_rating_count, average: r.copy_rating_average } : { count: 0, average: null },
  };
}

/** A product from a row of `products`; with its copies when the row has COPY_COLUMNS. */
export function productFromRow(r: Record<string, any>): ProductView {
  const product: ProductView = {
    id: r.id, slug: r.slug, name: r.name, description: r.description, categoryId: r.category_id,
    priceAmount: r.price_amount, priceCurrency: r.price_currency, createdAt: r.created_at, updatedAt: r.updated_at,
  };
  if ('copy_available' in r) product.copies = copiesFromRow(r, r.id);
  return product;
}

/** A category from a row of `categories`, or from columns of another row that carry `prefix`. */
export const categoryFromRow = (r: Record<string, any>, prefix = ''): Category => ({
  id: r[`${prefix}id`], parentId: r[`${prefix}parent_id`], name: r[`${prefix}name`], slug: r[`${prefix}slug`], createdAt: r[`${prefix}created_at`],
});

const rateFromRow = (r: Record<string, any>): ExchangeRate =>
  ({ currency: r.currency, rateScaled: BigInt(r.rate_scaled), minorDigits: r.minor_digits, updatedAt: r.updated_at });

/** One statement for a batch of keys (an array parameter), prepared: the same few texts serve every request. */
function rows(knex: Knex, sql: string, keys: readonly string[]): Promise<Record<string, any>[]> {
  return preparedRows(knex, sql, [keys]);
}

/** One statement per tick for all keys; each key gets the row whose `key` column equals it, or null. */
function oneEach<T>(knex: Knex, sql: string, key: string, map: (r: Record<string, any>) => T): DataLoader<string, T | null> {
  return new DataLoader(async (keys) => {
    const found = new Map((await rows(knex, sql, keys)).map((r) => [String(r[key]), map(r)]));
    return keys.map((k) => found.get(k) ?? null);
  });
}

export const productLoader = (knex: Knex) => oneEach(knex,
  `SELECT ${PRODUCT_SELECT}, ${COPY_COLUMNS} FROM products p ${copyJoins('p.id')} WHERE p.id = ANY(?::uuid[])`, 'id', productFromRow);

export const productBySlugLoader = (knex: Knex) => oneEach(knex,
  `SELECT ${PRODUCT_SELECT}, ${COPY_COLUMNS} FROM products p ${copyJoins('p.id')} WHERE p.slug = ANY(?::text[])`, 'slug', productFromRow);

/** The copies of products read without them (one just created or updated). */
export const copiesLoader = (knex: Knex) => new DataLoader<string, ProductCopies>(async (keys) => {
  const found = new Map((await rows(knex, `SELECT k.id, ${COPY_COLUMNS} FROM unnest(?::uuid[]) AS k(id) ${copyJoins('k.id')}`, keys))
    .map((r) => [String(r.id), copiesFromRow(r, String(r.id))]));
  return keys.map((k) => found.get(k) ?? copiesFromRow({}, k));
});

export const categoryLoader = (knex: Knex) =>
  oneEach(knex, 'SELECT id, parent_id, name, slug, created_at FROM categories WHERE id = ANY(?::uuid[])', 'id', categoryFromRow);

export const exchangeRateLoader = (knex: Knex) =>
  oneEach(knex, 'SELECT currency, rate_scaled, minor_digits, updated_at FROM exchange_rates WHERE currency = ANY(?::text[])', 'currency', rateFromRow);

/** The children of each category, by name then id. */
export const childrenLoader = (knex: Knex) => new DataLoader<string, Category[]>(async (keys) => {
  const groups = new Map<string, Category[]>(keys.map((k) => [k, []]));
  const found = await rows(knex, `SELECT id, parent_id, name, slug, created_at FROM categories
    WHERE parent_id = ANY(?::uuid[]) ORDER BY name, id`, keys);
  for (const r of found) groups.get(r.parent_id)?.push(categoryFromRow(r));
  return keys.map((k) => groups.get(k)!);
});
