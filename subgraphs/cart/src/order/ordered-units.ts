import { EntityManager } from '@mikro-orm/postgresql';
import { isId } from '@shop/platform';

/** Units per product of an order's lines, well-formed ids and counts only (so they can be sent as array literals). */
export function orderedUnits(lines: unknown): Map<string, number> {
  const units = new Map<string, number>();
  for (const line of Array.isArray(lines) ? lines : []) {
    if (!isId(line?.productId) || !Number.isInteger(line?.quantity) || line.quantity <= 0) continue;
    units.set(line.productId, (units.get(line.productId) ?? 0) + line.quantity);
  }
  return units;
}

/** The `?::uuid[]` and `?::int[]` parameters of `unnest` over units per product. */
export function unitArrays(units: Map<string, number>): [string, string] {
  return [`{${[...units.keys()].join(',')}}`, `{${[...units.values()].join(',')}}`];
}

/**
 * Locks the cart row by a statement of its own, as every cart command does
 * (taking the line locks first would deadlock with addToCart), setting its
 * coupon to `coupon` (SQL over `coupon_code` and `params`). What reads the
 * lines must come after: a statement reads what committed before it
 * started, so lines read in the statement that waited for the lock would
 * miss an add that held it. False when the cart is gone.
 */
export async function lockCart(em: EntityManager, cartId: string, coupon: string, params: unknown[]): Promise<boolean> {
  const [locked] = await em.execute<{ id: string }[]>(
    `UPDATE carts SET coupon_code = ${coupon}, updated_at = now() WHERE id = ? RETURNING id`, [...params, cartId]);
  return Boolean(locked);
}
