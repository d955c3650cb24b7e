import { EntityManager } from '@mikro-orm/postgresql';
import { Viewer, isId } from '@shop/platform';
import { CartContext, refreshView } from '../context';
import { Cart } from '../cart/cart.entity';
import { callerOf, mayUse } from '../cart/cart-access';
import { runCartCommand } from '../cart/cart-command';
import { CartRefusal, CartResult, cartNotFound, done, refused } from '../cart/cart-result';
import { createGuestCart, lockAndTouchCart, lockAndTouchOwnerCart } from '../cart/cart.repository';
import { cartPriceOf } from '../pricing/cart-pricing';
import { MAX_LINE_QUANTITY, isLineQuantity } from './quantity';
import { AddTarget, addInOneStatement, addToLine, lineQuantity } from './cart-line.repository';

export interface AddToCartInput { cartId?: string | null; productId: string; quantity: number }

/** The cart a product goes into, locked and marked changed: the given one if the caller may use it, else the user's own or a new guest cart. */
async function targetCart(em: EntityManager, viewer: Viewer | null, cartId: string | null | undefined): Promise<{ cart: Cart; created: boolean }> {
  if (cartId !== null && cartId !== undefined) {
    const cart = await lockAndTouchCart(em, cartId);
    if (!cart || !mayUse(viewer, cart)) throw new CartRefusal(cartNotFound(['input', 'cartId']));
    return { cart, created: false };
  }
  if (viewer) return lockAndTouchOwnerCart(em, viewer.userId);
  return { cart: await createGuestCart(em), created: true };
}

/**
 * The usual add (an existing cart, a known EUR or convertible product, the
 * units within both limits) in one statement, without a transaction of its
 * own; null when it did not go through, and nothing was written.
 */
async function addToExistingCart(ctx: CartContext, viewer: Viewer | null, input: AddToCartInput): Promise<string | null> {
  if (!isId(input.productId)) return null;
  let target: AddTarget;
  if (input.cartId !== null && input.cartId !== undefined) {
    if (!isId(input.cartId)) return null;
    target = { cartId: input.cartId, callerId: viewer?.userId ?? null };
  } else if (viewer) {
    target = { ownerId: viewer.userId };
  } else {
    return null; // an anonymous caller's add creates a guest cart
  }
  const cartId = await addInOneStatement(ctx.em, target, input.productId, input.quantity);
  if (cartId) refreshView(ctx);
  return cartId;
}

/**
 * Adds `quantity` of a product to a cart. The product must be known and
 * priceable in EUR, and the line's new quantity (what it held plus what is
 * added) at most MAX_LINE_QUANTITY and at most the stock available.
 */
export async function addToCart(ctx: CartContext, input: AddToCartInput): Promise<CartResult> {
  const viewer = callerOf(ctx.identity);
  if (!isLineQuantity(input.quantity)) {
    return refused(null, 'INVALID_QUANTITY', `Add 1 to ${MAX_LINE_QUANTITY} units`, ['input', 'quantity']);
  }
  const fast = await addToExistingCart(ctx, viewer, input);
  if (fast) return done(fast);
  const product = isId(input.productId) ? await ctx.loaders.product.load(input.productId) : null;
  if (!product) return refused(null, 'PRODUCT_NOT_FOUND', 'No product has this id', ['input', 'productId']);
  if (!(await cartPriceOf(ctx.loaders.rate, product))) {
    return refused(null, 'PRICE_UNAVAILABLE', `This product is priced in ${product.priceCurrency}, which cannot be converted to EUR yet`, ['input', 'productId']);
  }
  const available = (await ctx.loaders.stock.load(product.id))?.available ?? 0;

  return runCartCommand(ctx, async (em) => {
    const { cart, created } = await targetCart(em, viewer, input.cartId);
    const shown = created ? null : cart.id;
    // One statement adds the units when the line stays within both limits; only a refusal reads what it held.
    if ((await addToLine(em, cart.id, product.id, input.quantity, Math.min(MAX_LINE_QUANTITY, available))) !== null) return done(cart.id);
    const held = await lineQuantity(em, cart.id, product.id);
    if (held + input.quantity > MAX_LINE_QUANTITY) {
      throw new CartRefusal(refused(shown, 'INVALID_QUANTITY',
        `A line holds at most ${MAX_LINE_QUANTITY} units; this one already has ${held}`, ['input', 'quantity']));
    }
    throw new CartRefusal(refused(shown, 'INSUFFICIENT_STOCK',
      `Only ${available} available${held ? `, and the cart already holds ${held}` : ''}`, ['input', 'quantity']));
  });
}
