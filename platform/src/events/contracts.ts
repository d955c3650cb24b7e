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
  customerId: string;
  cartId: string;
  couponCode: string | null;
  lines: OrderLineData[];
}

export interface OrderCancelledData {
  orderId: string;
  customerId: string;
  reason: string;
  /** Status before cancelling: PENDING (stock maybe reserved) or CONFIRMED (stock sold, payment authorized). */
  previousStatus: string;
  couponCode: string | null;
  lines: OrderLineData[];
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
export function applicableStock(data: Partial<StockChangedData> | undefined): { productId: string; available: number; version: number } | null {
  const { productId, available, version } = data ?? {};
  if (!isId(productId)) return null;
  if (!Number.isInteger(available) || available! < 0 || available! > INT4_MAX) return null;
  if (!Number.isSafeInteger(version) || version! < 0) return null;
  return { productId, available: available!, version: version! };
}
