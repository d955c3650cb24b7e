/**
 * The event contract of the shop: every subject and payload shape, written
 * once and used by producers and consumers alike. `schema/events.md` is the
 * readable version of this file. The full subject of an event is
 * `<EVENT_PREFIX>.<type>`, e.g. `shop.inventory.stock.changed`.
 */
import { Money } from '../money';
import { isId } from '../ids';

export interface ProductEventData {
  productId: string;
  slug: string;
  name: string;
  price: Money;
  categoryId: string | null;
}

export interface StockChangedData {
  productId: string;
  onHand: number;
  reserved: number;
  available: number;
  /** Why it changed: SET_STOCK, RESERVE, RELEASE, SALE, RETURN, ... */
  reason: string;
  /** Increases with every change of the product's stock; consumers ignore older versions. */
  version: number;
}

export interface UserRegisteredData {
  userId: string;
  email: string;
  name: string;
  /** E.164 mobile number for SMS notifications; accounts collects none yet, so it is absent. */
  phone?: string | null;
}

export interface UserLoggedInData {
  userId: string;
  /** A guest cart the user brought along, to merge into the user's cart. */
  guestCartId: string | null;
}

export interface ExchangeRateSetData {
  currency: string;
  /** Units of `currency` per unit of the base currency, as a decimal string (exact). */
  rate: string;
  baseCurrency: string;
}

export interface OrderLineData { lineId: string; productId: string; name: string; quantity: number; unitPrice: Money }

/** A checkout created a PENDING order: inventory reserves its lines next. */
export interface OrderPlacedData {
  orderId: string;
  number: string;
  customerId: string;
  cartId: string;
  lines: OrderLineData[];
  currency: string;
  subtotal: number;
  discount: number;
  shippingTotal: number;
  total: number;
  couponCode: string | null;
  /** The payment method token from the checkout (tok_visa...), never card data. */
  paymentToken: string;
}

/** Every status change of an order (what subscriptions push). */
export interface OrderStatusChangedData {
  orderId: string;
  customerId: string;
  status: string;
  previousStatus: string | null;
  reason: string | null;
  at: string;
}

export interface OrderConfirmedData {
  orderId: string;
  /** The number customers see, e.g. SHOP-000123 (mails name it). */
  number: string;
  customerId: string;
  cartId: string;
  couponCode: string | null;
  lines: OrderLineData[];
  currency: string;
  total: number;
}

export interface OrderCancelledData {
  orderId: string;
  /** The number customers see (the cancellation mail names it); absent from events published before it was added. */
  number?: string;
  customerId: string;
  /** The cart the order came from; absent from events published before it was added. */
  cartId?: string;
  reason: string;
  /** Status before cancelling: PENDING (stock maybe reserved) or CONFIRMED (stock sold, payment authorized). */
  previousStatus: string;
  couponCode: string | null;
  lines: OrderLineData[];
}

/** The order reached the customer (SHIPPED → DELIVERED): what returns and reviews learn purchases from. */
export interface OrderDeliveredData {
  orderId: string;
  number: string;
  customerId: string;
  lines: OrderLineData[];
  currency: string;
  /** Minor units: the lines' value before the discount, the discount, shipping, and what was charged. */
  subtotal: number;
  discount: number;
  shippingTotal: number;
  total: number;
  deliveredAt: string;
}

/** Shipping handed an order to a carrier. */
export interface ShipmentShippedData {
  shipmentId: string;
  orderId: string;
  orderNumber: string;
  customerId: string;
  carrier: string;
  trackingNumber: string;
  at: string;
}

/** The carrier delivered an order. */
export interface ShipmentDeliveredData {
  shipmentId: string;
  orderId: string;
  orderNumber: string;
  customerId: string;
  at: string;
}

/** A customer asked to return lines of a delivered order. */
export interface ReturnRequestedData {
  returnId: string;
  orderId: string;
  customerId: string;
  lineIds: string[];
  reason: string;
  at: string;
}

export interface ReturnLineData { lineId: string; productId: string; quantity: number }

/** An ADMIN approved a return: payments refunds `refundAmount`, inventory restocks the lines. */
export interface ReturnApprovedData {
  returnId: string;
  orderId: string;
  customerId: string;
  lines: ReturnLineData[];
  /** The returned lines' value after their share of the order's discount. */
  refundAmount: Money;
  /** With this return every line of the order is back: payments refunds whatever of the capture is left (shipping too). */
  final: boolean;
}

/** The return's money is back with the customer: the return is REFUNDED. */
export interface ReturnRefundedData {
  returnId: string;
  orderId: string;
  orderNumber: string;
  customerId: string;
  amount: Money;
  /** Every line of the order has now been returned: the order becomes RETURNED. */
  allLinesReturned: boolean;
  /** Returns of this order still waiting for a decision or a refund. */
  openReturns: number;
}

/** An ADMIN rejected a return; the payment is untouched. */
export interface ReturnRejectedData {
  returnId: string;
  orderId: string;
  orderNumber: string;
  customerId: string;
  reason: string;
  openReturns: number;
}

/** Payments charged an order's authorization (when it shipped). */
export interface PaymentCapturedData { orderId: string; paymentId: string; amount: Money }

/** Money went back to the customer: for a return (`returnId`) or a cancellation after capture (null). */
export interface PaymentRefundedData {
  orderId: string;
  paymentId: string;
  returnId: string | null;
  amount: Money;
  /** Everything refunded on this payment so far, this refund included. */
  refundedTotal: Money;
  /** The whole captured amount is back: the payment is REFUNDED. */
  fullyRefunded: boolean;
}

/** Inventory put a return's lines back on the shelf (ledger reason `return`). */
export interface ReturnRestockedData { returnId: string; orderId: string }

/** A review was added: the product's rating changed. */
export interface ReviewAddedData {
  reviewId: string;
  productId: string;
  authorId: string;
  rating: number;
  /** The product's rating after this review: average of `ratingCount` reviews. */
  ratingAverage: number;
  ratingCount: number;
}

export interface StockReservedData { orderId: string; expiresAt: string }

export interface StockReservationFailedData {
  orderId: string;
  shortages: { productId: string; requested: number; available: number }[];
}

export interface ReservationExpiredData { orderId: string }

export interface PaymentAuthorizedData { orderId: string; paymentId: string; amount: Money }

export interface PaymentFailedData { orderId: string; paymentId: string; reason: string }

/** Subject type → payload. */
export interface EventMap {
  'accounts.user.registered': UserRegisteredData;
  'accounts.user.logged-in': UserLoggedInData;
  'catalog.product.created': ProductEventData;
  'catalog.product.updated': ProductEventData;
  'inventory.stock.changed': StockChangedData;
  'catalog.exchange-rate.set': ExchangeRateSetData;
  'orders.order.placed': OrderPlacedData;
  'orders.order.status-changed': OrderStatusChangedData;
  'orders.order.confirmed': OrderConfirmedData;
  'orders.order.cancelled': OrderCancelledData;
  'inventory.stock.reserved': StockReservedData;
  'inventory.stock.reservation-failed': StockReservationFailedData;
  'inventory.reservation.expired': ReservationExpiredData;
  'payments.payment.authorized': PaymentAuthorizedData;
  'payments.payment.failed': PaymentFailedData;
  'payments.payment.captured': PaymentCapturedData;
  'payments.payment.refunded': PaymentRefundedData;
  'orders.order.delivered': OrderDeliveredData;
  'shipping.shipment.shipped': ShipmentShippedData;
  'shipping.shipment.delivered': ShipmentDeliveredData;
  'returns.return.requested': ReturnRequestedData;
  'returns.return.approved': ReturnApprovedData;
  'returns.return.refunded': ReturnRefundedData;
  'returns.return.rejected': ReturnRejectedData;
  'inventory.return.restocked': ReturnRestockedData;
  'reviews.review.added': ReviewAddedData;
}

export type EventType = keyof EventMap;

/** What travels on the wire (JSON); `id` is also the JetStream message id. */
export interface EventEnvelope<T extends EventType = EventType> {
  id: string;
  type: T;
  occurredAt: string;
  data: EventMap[T];
}

/** The NATS subject of an event type under a prefix. */
export function subjectOf(prefix: string, type: EventType | string): string {
  return `${prefix}.${type}`;
}

const INT4_MAX = 2_147_483_647;

/**
 * What a projection of stock may apply from an `inventory.stock.changed`
 * payload, or null when it is outside the contract (such an event can never
 * be applied, so consumers skip it rather than retry it forever).
 */
export function applicableStock(data: Partial<StockChangedData> | undefined): ApplicableStock | null {
  const { productId, available, onHand, reserved, version } = data ?? {};
  if (!isId(productId)) return null;
  const count = (n: unknown): n is number => Number.isInteger(n) && (n as number) >= 0 && (n as number) <= INT4_MAX;
  if (!count(available) || !count(onHand) || !count(reserved)) return null;
  if (!Number.isSafeInteger(version) || version! < 0) return null;
  return { productId, available, onHand, reserved, version: version! };
}

/** The part of a stock change a projection keeps. */
export interface ApplicableStock { productId: string; available: number; onHand: number; reserved: number; version: number }

/**
 * The applicable stock of many `inventory.stock.changed` events, newest
 * version per product only, as array literals for one multi-row upsert
 * (`unnest(?::uuid[], ?::int[], ?::bigint[])`): a multi-row upsert may
 * not touch one row twice, and only the newest version would stay anyway.
 */
export function newestStock(events: { data?: Partial<StockChangedData> }[]): {
  count: number; productIds: string; available: string; onHand: string; reserved: string; versions: string;
} {
  const newest = new Map<string, ApplicableStock>();
  for (const event of events) {
    const stock = applicableStock(event.data);
    if (!stock) continue;
    const held = newest.get(stock.productId);
    if (!held || held.version < stock.version) newest.set(stock.productId, stock);
  }
  // In product id order, so two upserts running at once lock their rows in the same order.
  const rows = [...newest].sort(([a], [b]) => a.localeCompare(b));
  const literal = (values: (string | number)[]) => `{${values.join(',')}}`;
  return {
    count: rows.length,
    productIds: literal(rows.map(([id]) => id)),
    available: literal(rows.map(([, s]) => s.available)),
    onHand: literal(rows.map(([, s]) => s.onHand)),
    reserved: literal(rows.map(([, s]) => s.reserved)),
    versions: literal(rows.map(([, s]) => s.version)),
  };
}
