/**
 * The event contract of the shop: every subject and payload shape, written
 * once and used by producers and consumers alike. `schema/events.md` is the
 * readable version of this file. The full subject of an event is
 * `<EVENT_PREFIX>.<type>`, e.g. `shop.inventory.stock.changed`.
 */
import { Money } from '../money';

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

/** Subject type → payload. */
export interface EventMap {
  'accounts.user.registered': UserRegisteredData;
  'accounts.user.logged-in': UserLoggedInData;
  'catalog.product.created': ProductEventData;
  'catalog.product.updated': ProductEventData;
  'inventory.stock.changed': StockChangedData;
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
