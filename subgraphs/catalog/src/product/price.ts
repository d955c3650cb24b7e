import { Money, convert, money } from '@shop/platform';
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
  return converted(ctx, own, target);
}

// Only a conversion waits (for the rates, batched by the request's loader); a price in its own currency answers at once.
async function converted(ctx: CatalogContext, own: Money, target: string): Promise<Money> {
  const [fromRate, toRate] = await Promise.all([rateOf(ctx, own.currency), rateOf(ctx, target)]);
  return money(convert(own.amount, own.currency, fromRate, target, toRate), target);
}
