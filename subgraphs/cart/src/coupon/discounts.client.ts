import { callSubgraph } from '@shop/platform';
import { CartContext } from '../context';

/** Discounts' verdict on a coupon for an amount (its @inaccessible quoteCoupon). */
export interface CouponQuote {
  valid: boolean;
  /** The code as discounts normalised it (upper-cased). */
  code: string;
  discount: number;
  errorCode: string | null;
  message: string | null;
}

const QUOTE = 'query($c:String!,$s:Int!,$cur:String!){ quoteCoupon(code:$c, subtotal:$s, currency:$cur){ valid code discount errorCode message } }';

/** Asks discounts whether a coupon applies to `subtotal` now, and what it takes off (as the caller: their token is forwarded). */
export async function quoteCoupon(ctx: CartContext, code: string, subtotal: number, currency: string): Promise<CouponQuote> {
  const data = await callSubgraph<{ quoteCoupon: CouponQuote }>(
    ctx.config, 'discounts', QUOTE, { c: code, s: subtotal, cur: currency }, ctx.authorization);
  return data.quoteCoupon;
}
