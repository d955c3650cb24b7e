import { EntityManager } from '@mikro-orm/postgresql';
import { isId, newId } from '@shop/platform';

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
