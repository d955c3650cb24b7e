import { Money, RATE_SCALE, convert, money } from '@shop/platform';
import { BASE_CURRENCY } from '../exchange-rate/base-currency';
import { CatalogContext } from '../context';
import { parseCurrency } from '../exchange-rate/currency';
import { rateOf } from '../exchange-rate/exchange-rate.service';
import { Product } from './product.entity';

/**
 * A product's price in its own currency, or converted to `currency` at the
 * stored rates: directly from the product's currency to the target, in
 * exact integer arithmetic, rounded once half away from zero to the
 * target's minor unit (platform `convert`).
 */
export function priceIn(ctx: CatalogContext, product: Product, currency?: string | null): Money | Promise<Money> {
  const own = money(product.priceAmount, product.priceCurrency);
  if (currency === null || currency === undefined) return own;
  const target = parseCurrency(currency, 'currency');
  if (target === own.currency) return own;
  const fromRate = knownRate(ctx, own.currency);
  const toRate = knownRate(ctx, target);
  if (fromRate !== undefined && toRate !== undefined) return money(convert(own.amount, own.currency, fromRate, target, toRate), target);
  return converted(ctx, own, target);
}

/** A rate this request has already read (or the base currency's), without waiting; undefined when it must be loaded. */
function knownRate(ctx: CatalogContext, currency: string): bigint | undefined {
  return currency === BASE_CURRENCY ? RATE_SCALE : ctx.loaders.known.exchangeRate.get(currency)?.rateScaled;
}

// Only a conversion waits (for the rates, batched by the request's loader); a price in its own currency answers at once.
async function converted(ctx: CatalogContext, own: Money, target: string): Promise<Money> {
  const [fromRate, toRate] = await Promise.all([rateOf(ctx, own.currency), rateOf(ctx, target)]);
  return money(convert(own.amount, own.currency, fromRate, target, toRate), target);
}
