import { Coupon } from './coupon.entity';
import { discountOf, percentOf, quote } from './coupon-rules';

const now = new Date('2026-11-22T12:00:00Z');
const coupon = (fields: Partial<Coupon>): Coupon => Object.assign(new Coupon(), {
  id: 'c', code: 'X', kind: 'PERCENT', value: 10, minSubtotal: null, startsAt: null, endsAt: null, usageLimit: null, createdAt: now, ...fields,
});

describe('coupon arithmetic', () => {
  it('rounds percentages half away from zero, exactly', () => {
    expect(percentOf(1005, 10)).toBe(101); // 100.5
    expect(percentOf(1004, 10)).toBe(100); // 100.4
    expect(percentOf(333, 15)).toBe(50); // 49.95
    expect(percentOf(0, 50)).toBe(0);
    expect(percentOf(2_000_000_000, 99)).toBe(1_980_000_000);
  });

  it('never takes off more than the subtotal', () => {
    expect(discountOf('FIXED', 5000, 1999)).toBe(1999);
    expect(discountOf('PERCENT', 100, 1999)).toBe(1999);
    expect(discountOf('FIXED', 500, 1999)).toBe(500);
  });
});

describe('coupon validity', () => {
  const input = { subtotal: 10_000, currency: 'EUR', now, used: 0 };

  it('answers each reason with its code, the first that applies', () => {
    expect(quote(null, 'NOPE', input).errorCode).toBe('COUPON_NOT_FOUND');
    expect(quote(coupon({}), 'X', { ...input, currency: 'USD' }).errorCode).toBe('COUPON_CURRENCY');
    expect(quote(coupon({ startsAt: new Date(now.getTime() + 1) }), 'X', input).errorCode).toBe('COUPON_NOT_STARTED');
    expect(quote(coupon({ endsAt: now }), 'X', input).errorCode).toBe('COUPON_EXPIRED');
    expect(quote(coupon({ minSubtotal: 10_001 }), 'X', input).errorCode).toBe('COUPON_MIN_SUBTOTAL');
    expect(quote(coupon({ usageLimit: 2 }), 'X', { ...input, used: 2 }).errorCode).toBe('COUPON_USAGE_LIMIT_REACHED');
  });

  it('applies a coupon inside its period, at its minimum, under its limit', () => {
    const ok = quote(coupon({ minSubtotal: 10_000, usageLimit: 2, endsAt: new Date(now.getTime() + 1) }), 'X', { ...input, used: 1 });
    expect(ok).toEqual({ valid: true, code: 'X', discount: 1000, errorCode: null, message: null });
  });
});
