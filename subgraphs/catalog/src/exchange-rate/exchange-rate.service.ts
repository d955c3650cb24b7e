import { RATE_SCALE, minorUnitDigits, rateToScaled, recordEvent, requireRole } from '@shop/platform';
import { CatalogContext } from '../context';
import { inputError } from '../errors';
import { BASE_CURRENCY } from './base-currency';
import { ExchangeRate } from './exchange-rate.entity';
import { parseCurrency } from './currency';

/** No currency is worth less than a billionth of a euro; the cap also keeps scaled rates far inside bigint. */
const MAX_RATE = 1e9;

/** A scaled rate as an exact decimal string, e.g. 1080000000n → "1.08". */
function formatScaled(scaled: bigint): string {
  const whole = scaled / RATE_SCALE;
  const fraction = (scaled % RATE_SCALE).toString().padStart(9, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : `${whole}`;
}

/**
 * ADMIN: stores how many units of `currency` one EUR buys, exactly, as an
 * integer scaled by 1e9 (so a rate keeps 9 decimals).
 */
export async function setExchangeRate(ctx: CatalogContext, currency: string, rate: number): Promise<boolean> {
  requireRole(ctx.identity, 'ADMIN');
  const code = parseCurrency(currency, 'currency');
  if (code === BASE_CURRENCY) {
    throw inputError(`${BASE_CURRENCY} is the base currency: its rate is 1 by definition`, 'currency', 'BASE_CURRENCY_RATE');
  }
  if (!Number.isFinite(rate) || rate <= 0) throw inputError('The rate must be a positive number', 'rate', 'INVALID_RATE');
  if (rate > MAX_RATE) throw inputError(`The rate may be at most ${MAX_RATE}`, 'rate', 'INVALID_RATE');
  const scaled = rateToScaled(rate);
  if (scaled < 1n) throw inputError('The rate is too small: rates keep 9 decimals', 'rate', 'INVALID_RATE');
  await ctx.em.transactional(async (em) => {
    await em.upsert(ExchangeRate, { currency: code, rateScaled: scaled, minorDigits: minorUnitDigits(code), updatedAt: new Date() });
    recordEvent(em, 'catalog.exchange-rate.set', { currency: code, rate: formatScaled(scaled), baseCurrency: BASE_CURRENCY });
  });
  ctx.eventsRecorded();
  return true;
}

/** The scaled rate of a currency (the base currency's is RATE_SCALE), or BAD_USER_INPUT when none is known. */
export async function rateOf(ctx: CatalogContext, currency: string): Promise<bigint> {
  if (currency === BASE_CURRENCY) return RATE_SCALE;
  const row = await ctx.loaders.exchangeRate.load(currency);
  if (!row) {
    throw inputError(`No exchange rate is known for ${currency}; an ADMIN sets one with setExchangeRate`, 'currency', 'NO_EXCHANGE_RATE');
  }
  return row.rateScaled;
}
