import { RATE_SCALE, rateToScaled } from '@shop/platform';

/**
 * A rate from catalog.exchange-rate.set (a decimal string, e.g. "1.0832") as
 * an integer scaled by RATE_SCALE, exactly: kept to 9 decimals, the 10th
 * rounding half up. Null for anything that is not a positive rate.
 */
export function parseRate(rate: unknown): bigint | null {
  if (typeof rate !== 'string' && typeof rate !== 'number') return null;
  const text = String(rate).trim();
  const decimal = /^(\d{1,12})(?:\.(\d+))?$/.exec(text);
  let scaled: bigint;
  if (decimal) {
    const fraction = (decimal[2] ?? '').padEnd(10, '0');
    scaled = BigInt(decimal[1]) * RATE_SCALE + BigInt(fraction.slice(0, 9)) + (Number(fraction[9]) >= 5 ? 1n : 0n);
  } else {
    // Anything else a number parses (e.g. "1e-7") goes through the platform's float path.
    const n = Number(text);
    if (!Number.isFinite(n) || n <= 0) return null;
    scaled = rateToScaled(n);
  }
  return scaled > 0n ? scaled : null;
}
