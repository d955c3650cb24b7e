import { ConsumerSpec, isCurrency } from '@shop/platform';
import { CART_CURRENCY } from '../cart/cart-currency';
import { parseRate } from './rate';

/**
 * Keeps the rates that convert products priced in other currencies to the
 * cart's EUR. Catalog may not publish this event yet: until a rate arrives,
 * products in that currency cannot be added (PRICE_UNAVAILABLE). An event
 * older than the rate held changes nothing.
 */
export const exchangeRateSetConsumer: ConsumerSpec<'catalog.exchange-rate.set'> = {
  name: 'cart-exchange-rate-set',
  type: 'catalog.exchange-rate.set',
  async handle(em, event) {
    const { currency, rate, baseCurrency } = event.data ?? {};
    const scaled = parseRate(rate);
    const at = new Date(event.occurredAt);
    // Rates against another base, or of the base itself, cannot be used as they are.
    if (baseCurrency !== CART_CURRENCY || currency === CART_CURRENCY || !isCurrency(String(currency)) || !scaled || Number.isNaN(at.getTime())) return;
    await em.execute(
      `INSERT INTO exchange_rates (currency, rate_scaled, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (currency) DO UPDATE SET rate_scaled = EXCLUDED.rate_scaled, updated_at = EXCLUDED.updated_at
       WHERE exchange_rates.updated_at <= EXCLUDED.updated_at`,
      [currency, scaled.toString(), at]);
  },
};
