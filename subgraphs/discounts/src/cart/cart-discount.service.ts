import { Money, money } from '@shop/platform';
import { DiscountsContext } from '../context';
import { quoteCoupon } from '../quote/quote.service';
import { CartRef } from './cart-ref';

function subtotalOf(cart: CartRef): Money {
  // @requires makes the gateway send it; without it nothing sensible can be answered.
  if (!cart.subtotal) throw new Error(`cart ${cart.id} came without its subtotal`);
  return cart.subtotal;
}

/** What the cart's coupon takes off its subtotal now; 0 without a coupon or when it no longer applies. */
export async function cartDiscount(ctx: DiscountsContext, cart: CartRef): Promise<Money> {
  const subtotal = subtotalOf(cart);
  if (!cart.couponCode) return money(0, subtotal.currency);
  const verdict = await quoteCoupon(ctx, cart.couponCode, subtotal.amount, subtotal.currency);
  return money(verdict.valid ? verdict.discount : 0, subtotal.currency);
}

/** subtotal - discount; shipping is added at checkout. */
export async function cartTotal(ctx: DiscountsContext, cart: CartRef): Promise<Money> {
  const subtotal = subtotalOf(cart);
  const discount = await cartDiscount(ctx, cart);
  return money(subtotal.amount - discount.amount, subtotal.currency);
}
