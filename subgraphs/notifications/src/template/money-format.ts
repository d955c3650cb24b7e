import { Money, minorUnitDigits } from '@shop/platform';

/** "EUR 41.99", "JPY 1999", "KWD 1.250": the amount in the currency's minor units, computed on digits, never on floats. */
export function formatMoney({ amount, currency }: Money): string {
  const digits = minorUnitDigits(currency);
  const sign = amount < 0 ? '-' : '';
  const abs = String(Math.abs(amount)).padStart(digits + 1, '0');
  const major = digits === 0 ? abs : `${abs.slice(0, -digits)}.${abs.slice(-digits)}`;
  return `${currency} ${sign}${major}`;
}
