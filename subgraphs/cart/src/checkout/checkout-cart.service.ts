import { badInput, isId, requireViewer } from '@shop/platform';
import { CartContext } from '../context';
import { CART_CURRENCY } from '../cart/cart-currency';

/** A cart as orders snapshots it at checkout: amounts are minor units of `currency`. */
export interface CheckoutCartView {
  id: string;
  ownerId: string | null;
  currency: string;
  couponCode: string | null;
  subtotal: number;
  lines: { lineId: string; productId: string; name: string; quantity: number; unitPrice: number }[];
}

/**
 * The caller's own cart with current prices and names, for orders' checkout
 * (the caller's token is forwarded by orders). A guest cart cannot be
 * checked out and someone else's is not found: both are null. A line that
 * cannot be priced in EUR refuses the checkout rather than losing the line.
 */
export async function checkoutCart(ctx: CartContext, id: string): Promise<CheckoutCartView | null> {
  const viewer = requireViewer(ctx.identity);
  const cart = isId(id) ? await ctx.loaders.cartView.load(id) : null;
  if (!cart || cart.ownerId === null || cart.ownerId !== viewer.userId) return null;
  const priced = await ctx.loaders.pricing.load(cart.id);
  const unpriced = priced.lines.filter((l) => !l.priced).map((l) => l.product.name);
  if (unpriced.length) {
    throw badInput(`No exchange rate converts the price of ${unpriced.join(', ')} to ${CART_CURRENCY} yet: remove them or try later`, 'id');
  }
  return {
    id: cart.id,
    ownerId: cart.ownerId,
    currency: CART_CURRENCY,
    couponCode: cart.couponCode,
    subtotal: priced.subtotal.amount,
    lines: priced.lines.map(({ line, product, unitPrice }) => ({
      lineId: line.id, productId: line.productId, name: product.name, quantity: line.quantity, unitPrice: unitPrice.amount,
    })),
  };
}
