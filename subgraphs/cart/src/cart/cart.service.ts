import { forbidden, isId, requireViewer, verifyGrant } from '@shop/platform';
import { CartContext } from '../context';
import { Cart } from './cart.entity';
import { callerOf, mayRead } from './cart-access';

/** A cart the caller may read, by id; null when unknown, malformed or not theirs. */
export async function cartById(ctx: CartContext, id: string): Promise<Cart | null> {
  if (!isId(id)) return null;
  const cart = await ctx.loaders.cart.load(id);
  return cart && mayRead(callerOf(ctx.identity), cart) ? cart : null;
}

/** `cart(id)`: by id, or without one the signed-in user's cart (null for anonymous callers). */
export async function cart(ctx: CartContext, id: string | null | undefined): Promise<Cart | null> {
  if (id !== null && id !== undefined) return cartById(ctx, id);
  const viewer = callerOf(ctx.identity);
  return viewer ? ctx.loaders.cartOfOwner.load(viewer.userId) : null;
}

/**
 * `User.cart`: for the user and ADMINs only. The user is either the caller
 * or vouched for by accounts' viewer grant (the login that just signed them
 * in, whose request carries no token yet).
 */
export async function userCart(ctx: CartContext, userId: string, viewerGrant?: string | null): Promise<Cart | null> {
  if (!isId(userId)) return null;
  if (!(await verifyGrant(viewerGrant, userId, 'viewer', ctx.config))) {
    const viewer = requireViewer(ctx.identity);
    if (viewer.userId !== userId && viewer.role !== 'ADMIN') throw forbidden('Only the user and ADMINs may read their cart');
  }
  return ctx.loaders.cartOfOwner.load(userId);
}
