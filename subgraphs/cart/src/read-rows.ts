import DataLoader from 'dataloader';
import { EntityManager } from '@mikro-orm/postgresql';
import { isId } from '@shop/platform';
import { Cart } from './cart/cart.entity';
import { CartLine } from './cart-line/cart-line.entity';
import { ProjectedProduct } from './projection/product.entity';
import { ProjectedStock } from './projection/stock.entity';

/**
 * The request loaders of the hot read path (every cart answer, addToCart's
 * checks, checkout's cart) as plain SQL mapped straight to the entity
 * classes, outside the identity map: cart writes are SQL too and nothing
 * is ever flushed, so hydration and change tracking would be pure cost.
 */

type Row = Record<string, any>;

function keyedLoader<T>(
  em: EntityManager, sql: (placeholders: string) => string, keyOf: (row: Row) => string, toEntity: (row: Row) => T,
): DataLoader<string, T | null> {
  return new DataLoader(async (keys) => {
    const wellFormed = [...new Set(keys.filter(isId))];
    const rows: Row[] = wellFormed.length ? await em.execute(sql(wellFormed.map(() => '?').join(', ')), wellFormed) : [];
    const map = new Map(rows.map((r) => [keyOf(r), toEntity(r)]));
    return keys.map((k) => map.get(k) ?? null);
  });
}

const toCart = (r: Row): Cart => Object.assign(new Cart(), {
  id: r.id, ownerId: r.owner_id, couponCode: r.coupon_code, createdAt: r.created_at, updatedAt: r.updated_at,
});

const CART_COLUMNS = 'id, owner_id, coupon_code, created_at, updated_at';

export const cartRows = (em: EntityManager) =>
  keyedLoader(em, (p) => `SELECT ${CART_COLUMNS} FROM carts WHERE id IN (${p})`, (r) => r.id, toCart);

export const ownerCartRows = (em: EntityManager) =>
  keyedLoader(em, (p) => `SELECT ${CART_COLUMNS} FROM carts WHERE owner_id IN (${p})`, (r) => r.owner_id, toCart);

export const productRows = (em: EntityManager) => keyedLoader(em,
  (p) => `SELECT product_id, name, price_amount, price_currency, updated_at FROM products WHERE product_id IN (${p})`, (r) => r.product_id,
  (r) => toProduct(r));

export const stockRows = (em: EntityManager) => keyedLoader(em,
  (p) => `SELECT product_id, available, version FROM stock WHERE product_id IN (${p})`, (r) => r.product_id,
  (r) => Object.assign(new ProjectedStock(), { id: r.product_id, available: r.available, version: Number(r.version) }));

/** Each cart's lines, oldest first. */
export function lineRows(em: EntityManager): DataLoader<string, CartLine[]> {
  return new DataLoader(async (keys) => {
    const wellFormed = [...new Set(keys.filter(isId))];
    const rows: Row[] = wellFormed.length
      ? await em.execute(`SELECT id, cart_id, product_id, quantity, added_at FROM cart_lines WHERE cart_id IN (${wellFormed.map(() => '?').join(', ')})
          ORDER BY added_at, id`, wellFormed)
      : [];
    const groups = new Map<string, CartLine[]>();
    for (const r of rows) {
      const line = toLine(r);
      groups.set(r.cart_id, [...(groups.get(r.cart_id) ?? []), line]);
    }
    return keys.map((k) => groups.get(k) ?? []);
  });
}

const toLine = (r: Row): CartLine =>
  Object.assign(new CartLine(), { id: r.id, cartId: r.cart_id, productId: r.product_id, quantity: r.quantity, addedAt: r.added_at });

const toProduct = (r: Row): ProjectedProduct => Object.assign(new ProjectedProduct(), {
  id: r.product_id, name: r.name, priceAmount: r.price_amount, priceCurrency: r.price_currency, updatedAt: r.updated_at,
});

interface ViewTargets {
  cart: DataLoader<string, Cart | null>;
  lines: DataLoader<string, CartLine[]>;
  product: DataLoader<string, ProjectedProduct | null>;
}

/**
 * Carts with their lines and the lines' products in one statement, for the
 * answers that always show the lines (a command's payload, checkout's
 * cart): it primes the cart, lines and product loaders, which then answer
 * the pricing without another statement.
 */
export function cartViewRows(em: EntityManager, into: ViewTargets): DataLoader<string, Cart | null> {
  return new DataLoader(async (keys) => {
    const wellFormed = [...new Set(keys.filter(isId))];
    const rows: Row[] = wellFormed.length
      ? await em.execute(
        `SELECT c.id AS c_id, c.owner_id, c.coupon_code, c.created_at AS c_created_at, c.updated_at AS c_updated_at,
           l.id, l.cart_id, l.product_id, l.quantity, l.added_at, p.name, p.price_amount, p.price_currency, p.updated_at
         FROM carts c LEFT JOIN cart_lines l ON l.cart_id = c.id LEFT JOIN products p ON p.product_id = l.product_id
         WHERE c.id IN (${wellFormed.map(() => '?').join(', ')}) ORDER BY l.added_at, l.id`, wellFormed)
      : [];
    const carts = new Map<string, { cart: Cart; lines: CartLine[] }>();
    for (const r of rows) {
      let entry = carts.get(r.c_id);
      if (!entry) {
        entry = { cart: toCart({ id: r.c_id, owner_id: r.owner_id, coupon_code: r.coupon_code, created_at: r.c_created_at, updated_at: r.c_updated_at }), lines: [] };
        carts.set(r.c_id, entry);
      }
      if (r.id === null) continue; // a cart without lines
      entry.lines.push(toLine(r));
      if (r.name !== null) into.product.prime(r.product_id, toProduct(r));
    }
    for (const [id, { cart, lines }] of carts) {
      into.cart.prime(id, cart);
      into.lines.prime(id, lines);
    }
    return keys.map((k) => carts.get(k)?.cart ?? null);
  });
}
