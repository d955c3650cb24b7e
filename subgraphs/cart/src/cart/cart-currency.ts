/**
 * Every cart is in the shop's base currency: prices in other currencies are
 * converted at the catalog's exchange rates. Checkout in other currencies is
 * not offered yet.
 */
export const CART_CURRENCY = 'EUR';
