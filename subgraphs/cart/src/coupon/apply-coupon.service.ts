import { SubgraphUnavailableError, isId } from '@shop/platform';
import { CartContext, refreshView } from '../context';
import { CART_CURRENCY } from '../cart/cart-currency';
import { callerOf, mayUse } from '../cart/cart-access';
import { CartResult, cartNotFound, done, refused } from '../cart/cart-result';
import { lockCart } from '../cart/cart.repository';
import { quoteCoupon } from './discounts.client';

/**
 * Puts a coupon on the cart once discounts says it is valid for the cart's
 * subtotal now. The call to discounts holds no lock; the write then checks
 * that the cart still has the owner it had, so a cart merged away meanwhile
 * is not found rather than changed.
 */
export async function applyCoupon(ctx: CartContext, cartId: string, code: string): Promise<CartResult> {
  const viewer = callerOf(ctx.identity);
  const cart = await lockCart(ctx.em, cartId);
  if (!cart || !mayUse(viewer, cart)) return cartNotFound(['cartId']);
  const { subtotal } = await ctx.loaders.pricing.load(cart.id);
  let quote;
  try {
    quote = await quoteCoupon(ctx, code, subtotal.amount, CART_CURRENCY);
  } catch (e) {
    if (e instanceof SubgraphUnavailableError) return refused(cart.id, 'SERVICE_UNAVAILABLE', e.message, ['code']);
    throw e;
  }
  if (!quote.valid) {
    return refused(cart.id, quote.errorCode ?? 'COUPON_INVALID', quote.message ?? 'This coupon cannot be used', ['code']);
  }
  const updated = await ctx.em.execute(
    `UPDATE carts SET coupon_code = ?, updated_at = now() WHERE id = ? AND owner_id IS NOT DISTINCT FROM ? RETURNING id`,
    [quote.code, cart.id, cart.ownerId]);
  if (updated.length === 0) return cartNotFound(['cartId']);
  refreshView(ctx);
  return done(cart.id);
}

/** Takes the coupon off a cart the caller may use. */
export async function removeCoupon(ctx: CartContext, cartId: string): Promise<CartResult> {
  const viewer = callerOf(ctx.identity);
  if (!isId(cartId)) return cartNotFound(['cartId']);
  const updated = await ctx.em.execute(
    `UPDATE carts SET coupon_code = NULL, updated_at = now() WHERE id = ? AND (owner_id IS NULL OR owner_id = ?) RETURNING id`,
    [cartId, viewer?.userId ?? null]);
  if (updated.length === 0) return cartNotFound(['cartId']);
  refreshView(ctx);
  return done(cartId);
}
