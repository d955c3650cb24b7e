import { forbidden, isId, requireViewer } from '@shop/platform';
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

/** `User.cart`: for the user and ADMINs only. */
export async function userCart(ctx: CartContext, userId: string): Promise<Cart | null> {
  const viewer = requireViewer(ctx.identity);
  if (viewer.userId !== userId && viewer.role !== 'ADMIN') throw forbidden('Only the user and ADMINs may read their cart');
  return isId(userId) ? ctx.loaders.cartOfOwner.load(userId) : null;
}
