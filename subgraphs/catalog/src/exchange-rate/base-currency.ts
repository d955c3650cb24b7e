/**
 * The shop's base currency: exchange rates are units of another currency
 * per one EUR, and price filters and price sorts compare in EUR.
 */
export const BASE_CURRENCY = 'EUR';
