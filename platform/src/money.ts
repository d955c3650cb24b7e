/**
 * Money is an integer amount of minor units (cents) and an ISO 4217 code.
 * Floats never hold an amount; a conversion computes in exact integer/rational
 * arithmetic and rounds once, half away from zero, to the target's minor unit.
 */
export interface Money { amount: number; currency: string }

const KNOWN = new Set(Intl.supportedValuesOf('currency'));

/** True for an upper-case ISO 4217 code this runtime knows. */
export function isCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && KNOWN.has(code);
}

/** Number of decimals of a currency's minor unit (2 for EUR, 0 for JPY, 3 for KWD). */
export function minorUnitDigits(currency: string): number {
  // Building an Intl.NumberFormat costs tens of microseconds: every price conversion asks, so each code is asked once.
  let digits = DIGITS.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    DIGITS.set(currency, digits);
  }
  return digits;
}

const DIGITS = new Map<string, number>();

/** Divides two non-negative bigints rounding half away from zero. */
function divRound(n: bigint, d: bigint): bigint {
  const q = n / d;
  const r = n % d;
  return r * 2n >= d ? q + 1n : q;
}

/** Rates are decimals given with up to 9 places; they are held as integers scaled by 1e9. */
export const RATE_SCALE = 1_000_000_000n;

export function rateToScaled(rate: number): bigint {
  return BigInt(Math.round(rate * Number(RATE_SCALE)));
}

/**
 * Converts `amount` minor units of `from` to minor units of `to`, where the
 * rates are units of each currency per unit of the base currency (scaled by
 * RATE_SCALE; the base currency's own rate is RATE_SCALE).
 */
export function convert(amount: number, from: string, fromRate: bigint, to: string, toRate: bigint): number {
  if (from === to) return amount;
  const sign = amount < 0 ? -1n : 1n;
  const abs = BigInt(Math.abs(amount));
  const fromDigits = BigInt(minorUnitDigits(from));
  const toDigits = BigInt(minorUnitDigits(to));
  const n = abs * toRate * 10n ** toDigits;
  const d = fromRate * 10n ** fromDigits;
  return Number(sign * divRound(n, d));
}

export function money(amount: number, currency: string): Money {
  return { amount, currency };
}
