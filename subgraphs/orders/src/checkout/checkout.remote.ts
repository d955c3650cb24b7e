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

export async function fetchShippingMethods(config: PlatformConfig, country: string): Promise<ShippingMethodQuote[]> {
  const data = await callSubgraph<{ shippingMethods: ShippingMethodQuote[] }>(config, 'shipping',
    'query($c: String!) { shippingMethods(country: $c) { id name price { amount currency } } }', { c: country });
  return data.shippingMethods;
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
