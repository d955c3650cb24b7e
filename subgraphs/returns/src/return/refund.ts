/** The lines a refund is computed from: minor units of the order's currency. */
export interface PricedLine { unitPrice: number; quantity: number }

/**
 * What returning `lines` gives back: their value less their share of the
 * order's discount, value × (subtotal − discount) / subtotal, in exact
 * integer arithmetic rounded once, half away from zero. Shipping is not in
 * it: payments adds what is left of the charge when the last lines return.
 */
export function refundFor(lines: PricedLine[], order: { subtotal: number; discount: number }): number {
  const value = lines.reduce((sum, l) => sum + BigInt(l.unitPrice) * BigInt(l.quantity), 0n);
  if (order.subtotal <= 0) return 0;
  const numerator = value * BigInt(order.subtotal - order.discount);
  const denominator = BigInt(order.subtotal);
  const quotient = numerator / denominator;
  // Every term is non-negative, so half away from zero is half up.
  return Number((numerator % denominator) * 2n >= denominator ? quotient + 1n : quotient);
}
