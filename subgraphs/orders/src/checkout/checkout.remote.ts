import { PlatformConfig, callSubgraph } from '@shop/platform';

/** What checkout reads from the cart subgraph (an @inaccessible field only the cart's owner may read). */
export interface CheckoutCart {
  id: string;
  ownerId: string | null;
  currency: string;
  couponCode: string | null;
  subtotal: number;
  lines: { lineId: string; productId: string; name: string; quantity: number; unitPrice: number }[];
}

export interface ShippingMethodQuote { id: string; name: string; price: { amount: number; currency: string } }

export interface CouponClaim { valid: boolean; code: string | null; discount: number; errorCode: string | null; message: string | null }

export async function fetchCart(config: PlatformConfig, cartId: string, authorization: string | null): Promise<CheckoutCart | null> {
  const data = await callSubgraph<{ checkoutCart: CheckoutCart | null }>(config, 'cart',
    'query($id: ID!) { checkoutCart(id: $id) { id ownerId currency couponCode subtotal lines { lineId productId name quantity unitPrice } } }',
    { id: cartId }, authorization);
  return data.checkoutCart;
}

/** Shipping methods change with a release, not per order: each country's list is reused for a minute. */
const SHIPPING_CACHE_MS = 60_000;
const shippingCache = new Map<string, { until: number; methods: Promise<ShippingMethodQuote[]> }>();

export function fetchShippingMethods(config: PlatformConfig, country: string): Promise<ShippingMethodQuote[]> {
  const key = `${config.subgraphUrls.shipping ?? config.ports.shipping}|${country}`;
  const cached = shippingCache.get(key);
  if (cached && cached.until > Date.now()) return cached.methods;
  const methods = callSubgraph<{ shippingMethods: ShippingMethodQuote[] }>(config, 'shipping',
    'query($c: String!) { shippingMethods(country: $c) { id name price { amount currency } } }', { c: country })
    .then((data) => data.shippingMethods);
  shippingCache.set(key, { until: Date.now() + SHIPPING_CACHE_MS, methods });
  methods.catch(() => shippingCache.delete(key));
  return methods;
}

/** Claims one use of a coupon for this order at discounts (atomic there; repeated claims for one order agree). */
export async function claimCoupon(
  config: PlatformConfig, orderId: string, code: string, subtotal: number, currency: string, authorization: string | null,
): Promise<CouponClaim> {
  const data = await callSubgraph<{ claimCoupon: CouponClaim }>(config, 'discounts',
    'mutation($o: ID!, $c: String!, $s: Int!, $cur: String!) { claimCoupon(orderId: $o, code: $c, subtotal: $s, currency: $cur) { valid code discount errorCode message } }',
    { o: orderId, c: code, s: subtotal, cur: currency }, authorization);
  return data.claimCoupon;
}
