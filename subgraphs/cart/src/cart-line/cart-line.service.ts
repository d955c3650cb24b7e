import { CartContext } from '../context';
import { callerOf, mayUse } from '../cart/cart-access';
import { runCartCommand } from '../cart/cart-command';
import { CartRefusal, CartResult, cartNotFound, done, refused } from '../cart/cart-result';
import { lockCart, touchCart } from '../cart/cart.repository';
import { MAX_LINE_QUANTITY } from './quantity';
import { availableStock, findLine } from './cart-line.repository';

const lineNotFound = (cartId: string) => refused(cartId, 'LINE_NOT_FOUND', 'This cart has no line with this id', ['lineId']);

/** Sets a line's quantity; 0 removes it. Only raising it is checked against the stock: lowering always works. */
export async function updateCartLine(ctx: CartContext, cartId: string, lineId: string, quantity: number): Promise<CartResult> {
  const viewer = callerOf(ctx.identity);
  if (!Number.isInteger(quantity) || quantity < 0 || quantity > MAX_LINE_QUANTITY) {
    return refused(null, 'INVALID_QUANTITY', `Set 0 (to remove) to ${MAX_LINE_QUANTITY} units`, ['quantity']);
  }
  return runCartCommand(ctx, async (em) => {
    const cart = await lockCart(em, cartId);
    if (!cart || !mayUse(viewer, cart)) return cartNotFound(['cartId']);
    const line = await findLine(em, cart.id, lineId);
    if (!line) return lineNotFound(cart.id);
    if (quantity === 0) {
      await em.execute('DELETE FROM cart_lines WHERE id = ?', [line.id]);
    } else {
      const available = quantity > line.quantity ? await availableStock(em, line.product_id) : quantity;
      if (quantity > available) throw new CartRefusal(refused(cart.id, 'INSUFFICIENT_STOCK', `Only ${available} available`, ['quantity']));
      await em.execute('UPDATE cart_lines SET quantity = ? WHERE id = ?', [quantity, line.id]);
    }
    await touchCart(em, cart.id);
    return done(cart.id);
  });
}

/** Removes a line from a cart the caller may use. */
export async function removeCartLine(ctx: CartContext, cartId: string, lineId: string): Promise<CartResult> {
  const viewer = callerOf(ctx.identity);
  return runCartCommand(ctx, async (em) => {
    const cart = await lockCart(em, cartId);
    if (!cart || !mayUse(viewer, cart)) return cartNotFound(['cartId']);
    const line = await findLine(em, cart.id, lineId);
    if (!line) return lineNotFound(cart.id);
    await em.execute('DELETE FROM cart_lines WHERE id = ?', [line.id]);
    await touchCart(em, cart.id);
    return done(cart.id);
  });
}
