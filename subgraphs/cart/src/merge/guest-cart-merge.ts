import { EntityManager } from '@mikro-orm/postgresql';
import { isId } from '@shop/platform';
import { lockCart } from '../cart/cart.repository';
import { MAX_LINE_QUANTITY } from '../cart-line/quantity';

/**
 * Joins a guest cart to a user's, inside the caller's transaction: it simply
 * becomes theirs when they have none; otherwise its lines move into the
 * user's cart (a product in both adds up, capped at MAX_LINE_QUANTITY; line
 * ids of moved lines are kept), the user's coupon wins over the guest's, and
 * the guest cart is deleted. A guest cart id that is unknown, already merged,
 * or owned (by anyone) is ignored and answers false, so the login's own call
 * and the later `accounts.user.logged-in` event cannot both merge.
 */
export async function mergeGuestCart(em: EntityManager, userId: string, guestCartId: string): Promise<boolean> {
  if (!isId(userId) || !isId(guestCartId)) return false;
  const guest = await lockCart(em, guestCartId);
  if (!guest || guest.ownerId !== null) return false;
  const [own] = await em.execute<{ id: string; coupon_code: string | null }[]>(
    'SELECT id, coupon_code FROM carts WHERE owner_id = ? FOR UPDATE', [userId]);
  if (!own) {
    await em.execute('UPDATE carts SET owner_id = ?, updated_at = now() WHERE id = ?', [userId, guest.id]);
    return true;
  }
  await em.execute(
    `UPDATE cart_lines mine SET quantity = LEAST(?, mine.quantity + theirs.quantity)
     FROM cart_lines theirs WHERE mine.cart_id = ? AND theirs.cart_id = ? AND theirs.product_id = mine.product_id`,
    [MAX_LINE_QUANTITY, own.id, guest.id]);
  await em.execute(
    `UPDATE cart_lines SET cart_id = ? WHERE cart_id = ?
     AND product_id NOT IN (SELECT product_id FROM cart_lines WHERE cart_id = ?)`,
    [own.id, guest.id, own.id]);
  await em.execute('UPDATE carts SET coupon_code = COALESCE(coupon_code, ?), updated_at = now() WHERE id = ?', [guest.couponCode, own.id]);
  // The guest's lines for products the user already had go with it (cascade).
  await em.execute('DELETE FROM carts WHERE id = ?', [guest.id]);
  return true;
}
