import { badInput } from '@shop/platform';
import { DiscountsContext } from '../context';
import { Quote, normalizeCode, quote } from '../coupon/coupon-rules';

const INT4_MAX = 2_147_483_647;

/** An amount a coupon may be quoted or claimed for: a non-negative integer. */
export function checkSubtotal(subtotal: number): void {
  if (!Number.isInteger(subtotal) || subtotal < 0 || subtotal > INT4_MAX) {
    throw badInput('subtotal: Must be a non-negative integer of minor units', 'subtotal');
  }
}

/** Whether a coupon applies to an amount now (claims of other orders counted), without claiming anything. */
export async function quoteCoupon(ctx: DiscountsContext, code: string, subtotal: number, currency: string): Promise<Quote> {
  checkSubtotal(subtotal);
  const normalized = normalizeCode(code);
  const coupon = normalized.length <= 32 ? await ctx.loaders.couponByCode.load(normalized) : null;
  const used = coupon ? (await ctx.loaders.usage.load(coupon.id)).inUse : 0;
  return quote(coupon, normalized, { subtotal, currency, now: new Date(), used });
}
