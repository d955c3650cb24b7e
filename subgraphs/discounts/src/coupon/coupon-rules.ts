import { Coupon, CouponKind } from './coupon.entity';

/** Coupons take EUR off EUR amounts: FIXED values and minimum subtotals are EUR minor units. */
export const COUPON_CURRENCY = 'EUR';

/** Discounts' verdict on a coupon for an amount. */
export interface Quote {
  valid: boolean;
  code: string;
  discount: number;
  errorCode: string | null;
  message: string | null;
}

export interface QuoteInput {
  subtotal: number;
  currency: string;
  now: Date;
  /** Redemptions counting against the usage limit: PENDING and CONFIRMED. */
  used: number;
}

/** Codes are compared trimmed and upper-cased. */
export function normalizeCode(code: string): string {
  return code.trim().toUpperCase();
}

/** `percent`% of a non-negative amount, rounded half away from zero (exact in integers). */
export function percentOf(amount: number, percent: number): number {
  const product = amount * percent;
  const whole = Math.floor(product / 100);
  return (product % 100) * 2 >= 100 ? whole + 1 : whole;
}

/** What a coupon takes off a subtotal: never more than the subtotal. */
export function discountOf(kind: CouponKind, value: number, subtotal: number): number {
  return Math.min(kind === 'PERCENT' ? percentOf(subtotal, value) : value, subtotal);
}

const euros = (minor: number) => `EUR ${(minor / 100).toFixed(2)}`;

function refusal(code: string, errorCode: string, message: string): Quote {
  return { valid: false, code, discount: 0, errorCode, message };
}

/** Whether `coupon` (null: no coupon has this code) applies to the input, and what it takes off. */
export function quote(coupon: Coupon | null, code: string, input: QuoteInput): Quote {
  if (!coupon) return refusal(code, 'COUPON_NOT_FOUND', 'No coupon has this code');
  if (input.currency !== COUPON_CURRENCY) return refusal(code, 'COUPON_CURRENCY', `Coupons apply to ${COUPON_CURRENCY} amounts only`);
  if (coupon.startsAt && coupon.startsAt.getTime() > input.now.getTime()) {
    return refusal(code, 'COUPON_NOT_STARTED', `This coupon applies from ${coupon.startsAt.toISOString()}`);
  }
  if (coupon.endsAt && coupon.endsAt.getTime() <= input.now.getTime()) return refusal(code, 'COUPON_EXPIRED', 'This coupon has expired');
  if (coupon.minSubtotal !== null && input.subtotal < coupon.minSubtotal) {
    return refusal(code, 'COUPON_MIN_SUBTOTAL', `This coupon needs a subtotal of at least ${euros(coupon.minSubtotal)}`);
  }
  if (coupon.usageLimit !== null && input.used >= coupon.usageLimit) {
    return refusal(code, 'COUPON_USAGE_LIMIT_REACHED', 'This coupon has been used as many times as it may be');
  }
  return { valid: true, code, discount: discountOf(coupon.kind, coupon.value, input.subtotal), errorCode: null, message: null };
}
