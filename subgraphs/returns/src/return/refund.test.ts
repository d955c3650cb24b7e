import { refundFor } from './refund';

describe('the refund of returned lines', () => {
  it('is their value when the order had no discount', () => {
    expect(refundFor([{ unitPrice: 1999, quantity: 2 }], { subtotal: 5000, discount: 0 })).toBe(3998);
  });

  it('takes off the lines\' share of the discount', () => {
    // 3000 of a 5000 subtotal with 500 off: 3000 × 4500 / 5000 = 2700.
    expect(refundFor([{ unitPrice: 1000, quantity: 3 }], { subtotal: 5000, discount: 500 })).toBe(2700);
  });

  it('rounds half away from zero, once', () => {
    // 1000 × 2000 / 3000 = 666.67 → 667; 500 × 1 / 4 = 125 exactly; 5 × 3 / 6 = 2.5 → 3.
    expect(refundFor([{ unitPrice: 1000, quantity: 1 }], { subtotal: 3000, discount: 1000 })).toBe(667);
    expect(refundFor([{ unitPrice: 5, quantity: 1 }], { subtotal: 6, discount: 3 })).toBe(3);
    expect(refundFor([{ unitPrice: 1, quantity: 1 }, { unitPrice: 2, quantity: 1 }], { subtotal: 9, discount: 4 })).toBe(2);
  });

  it('is nothing for a free order, and never overflows', () => {
    expect(refundFor([{ unitPrice: 0, quantity: 1 }], { subtotal: 0, discount: 0 })).toBe(0);
    expect(refundFor([{ unitPrice: 2_000_000_000, quantity: 1 }], { subtotal: 2_000_000_000, discount: 1 })).toBe(1_999_999_999);
  });
});
