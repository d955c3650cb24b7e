import { EntityManager } from '@mikro-orm/postgresql';
import { isId, newId } from '@shop/platform';
import { CART_CURRENCY } from '../cart/cart-currency';
import { MAX_LINE_QUANTITY } from './quantity';

export interface LineRow { id: string; product_id: string; quantity: number }

/** How many units of a product the cart holds (0 when it has no line for it). */
export async function lineQuantity(em: EntityManager, cartId: string, productId: string): Promise<number> {
  const [row] = await em.execute<{ quantity: number }[]>(
    'SELECT quantity FROM cart_lines WHERE cart_id = ? AND product_id = ?', [cartId, productId]);
  return row?.quantity ?? 0;
}

/**
 * Adds units of a product to the cart's line for it (created when missing),
 * unless the line would then hold more than `limit`: returns the line's new
 * quantity, or null when nothing was added. Run it with the cart locked.
 */
export async function addToLine(em: EntityManager, cartId: string, productId: string, quantity: number, limit: number): Promise<number | null> {
  if (quantity > limit) return null;
  const [row] = await em.execute<{ quantity: number }[]>(
    `INSERT INTO cart_lines (id, cart_id, product_id, quantity, added_at) VALUES (?, ?, ?, ?, now())
     ON CONFLICT (cart_id, product_id) DO UPDATE SET quantity = cart_lines.quantity + EXCLUDED.quantity
     WHERE cart_lines.quantity + EXCLUDED.quantity <= ? RETURNING quantity`,
    [newId(), cartId, productId, quantity, limit]);
  return row ? row.quantity : null;
}

/** A line of the given cart, or null (a line of another cart is not found either). */
export async function findLine(em: EntityManager, cartId: string, lineId: string): Promise<LineRow | null> {
  if (!isId(lineId)) return null;
  const [row] = await em.execute<LineRow[]>(
    'SELECT id, product_id, quantity FROM cart_lines WHERE id = ? AND cart_id = ?', [lineId, cartId]);
  return row ?? null;
}

/** Units of a product available to buy, per the stock projection (0 when never counted). */
export async function availableStock(em: EntityManager, productId: string): Promise<number> {
  const [row] = await em.execute<{ available: number }[]>('SELECT available FROM stock WHERE product_id = ?', [productId]);
  return row?.available ?? 0;
}

/** The cart an add goes into: the signed-in user's own, or one named by id (a guest cart, or the caller's). */
export type AddTarget = { ownerId: string } | { cartId: string; callerId: string | null };

/**
 * The whole of an add that goes through, in one statement: locks the cart
 * (a cart the caller may use), checks that the product is known and
 * priceable in the cart's currency, and adds the units when the line then
 * holds at most MAX_LINE_QUANTITY and at most the projected stock, then
 * marks the cart changed. Returns the cart's id, or null when anything was
 * missing or refused: nothing is written then (the caller works out why,
 * or creates the cart, on the slower path).
 */
export async function addInOneStatement(em: EntityManager, target: AddTarget, productId: string, quantity: number): Promise<string | null> {
  const [where, params] = 'ownerId' in target
    ? ['owner_id = ?', [target.ownerId]]
    : ['id = ? AND (owner_id IS NULL OR owner_id = ?)', [target.cartId, target.callerId]];
  // The cart row is locked first, as by every cart command; the stock limit is read again when the line exists.
  const [row] = await em.execute<{ id: string }[]>(
    `WITH target AS (
       SELECT id FROM carts WHERE ${where} FOR UPDATE
     ), added AS (
       INSERT INTO cart_lines (id, cart_id, product_id, quantity, added_at)
       SELECT ?, target.id, p.product_id, ?, now() FROM target JOIN products p ON p.product_id = ?
       WHERE (p.price_currency = ? OR EXISTS (SELECT 1 FROM exchange_rates r WHERE r.currency = p.price_currency))
         AND ? <= LEAST(?, COALESCE((SELECT s.available FROM stock s WHERE s.product_id = p.product_id), 0))
       ON CONFLICT (cart_id, product_id) DO UPDATE SET quantity = cart_lines.quantity + EXCLUDED.quantity
       WHERE cart_lines.quantity + EXCLUDED.quantity
         <= LEAST(?, COALESCE((SELECT s.available FROM stock s WHERE s.product_id = EXCLUDED.product_id), 0))
       RETURNING cart_id
     )
     UPDATE carts SET updated_at = now() FROM added WHERE carts.id = added.cart_id RETURNING carts.id`,
    [...params, newId(), quantity, productId, CART_CURRENCY, quantity, MAX_LINE_QUANTITY, MAX_LINE_QUANTITY]);
  return row?.id ?? null;
}
