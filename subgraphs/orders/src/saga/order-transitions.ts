import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import {
  EventMap, EventType, InboxClaim, NO_INBOX, OrderLineData, afterCommit, newId, observeCheckoutEnd, outboxInsertWhen, outboxRow, recordEvent,
} from '@shop/platform';
import { Order, OrderStatus } from '../order/order.entity';
import { OrderLine } from '../order/order-line.entity';
import { StatusChange } from '../order/status-change.entity';
import { assertTransition, canTransition } from '../order/order-status';

/** Loads an order locked for update: concurrent transitions of one order queue up behind each other. */
export function lockOrder(em: EntityManager, id: string): Promise<Order | null> {
  return em.findOne(Order, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
}

/** The order's lines as events carry them, priced in the order's currency. */
export async function lineData(em: EntityManager, order: Order): Promise<OrderLineData[]> {
  const lines = await em.find(OrderLine, { orderId: order.id }, { orderBy: { position: 'ASC' } });
  return lines.map((l) => ({
    lineId: l.id, productId: l.productId, name: l.productName, quantity: l.quantity, unitPrice: { amount: l.unitPrice, currency: order.currency },
  }));
}

type OrderEvent = { [K in EventType]: [K, EventMap[K]] }[EventType];

/** Whether a move needs the order's lines: its milestone event carries them. */
function hasMilestone(previousStatus: OrderStatus, to: OrderStatus): boolean {
  // Back to DELIVERED after a return is no new delivery: returns and reviews learn each purchase once.
  return to === 'CONFIRMED' || to === 'CANCELLED' || (to === 'DELIVERED' && previousStatus === 'SHIPPED');
}

/**
 * The events of a move (`order` already moved): the full-data milestone other
 * subgraphs act on (confirmed, cancelled, delivered), then the status change.
 */
function moveEvents(order: Order, previousStatus: OrderStatus, reason: string | null, at: Date, lines: OrderLineData[] | null): OrderEvent[] {
  const to = order.status;
  const events: OrderEvent[] = [];
  if (lines) {
    const base = { orderId: order.id, customerId: order.customerId, lines };
    if (to === 'CONFIRMED') {
      events.push(['orders.order.confirmed', {
        ...base, number: order.number, cartId: order.cartId, couponCode: order.couponCode ?? null, currency: order.currency, total: order.total,
      }]);
    } else if (to === 'CANCELLED') {
      events.push(['orders.order.cancelled', { ...base, number: order.number, cartId: order.cartId, reason: reason ?? 'Cancelled', previousStatus, couponCode: order.couponCode ?? null }]);
    } else {
      events.push(['orders.order.delivered', {
        ...base, number: order.number, currency: order.currency, subtotal: order.subtotal, discount: order.discount,
        shippingTotal: order.shippingTotal, total: order.total, deliveredAt: at.toISOString(),
      }]);
    }
  }
  events.push(['orders.order.status-changed', {
    orderId: order.id, customerId: order.customerId, status: to, previousStatus, reason, at: at.toISOString(),
  }]);
  return events;
}

/** Checks the state machine and moves the order object in memory; returns the status it left. */
function move(order: Order, to: OrderStatus, reason: string | null, at: Date): OrderStatus {
  assertTransition(order.status, to);
  const previousStatus = order.status;
  order.status = to;
  order.updatedAt = at;
  if (to === 'CANCELLED') order.cancellationReason = reason;
  return previousStatus;
}

/**
 * Times the end of a checkout once the move is written: after the commit
 * when `em` is in a transaction (a batch of events rolled back and handled
 * again must not time it twice), at once after a statement of its own.
 */
function timeCheckoutEnd(em: EntityManager, previousStatus: OrderStatus, to: OrderStatus, placedAt: Date): void {
  if (previousStatus === 'PENDING' && (to === 'CONFIRMED' || to === 'CANCELLED')) afterCommit(em, () => observeCheckoutEnd(to, placedAt));
}

/**
 * Moves an order to a new status inside the caller's transaction: checks
 * the state machine, appends to the history and records the events the
 * rest of the saga (and subscribers) react to.
 */
export async function transition(em: EntityManager, order: Order, to: OrderStatus, reason: string | null = null): Promise<void> {
  const at = new Date();
  const previousStatus = move(order, to, reason, at);
  timeCheckoutEnd(em, previousStatus, to, order.placedAt);
  em.persist(em.create(StatusChange, { id: newId(), orderId: order.id, status: to, reason, at }));
  const lines = hasMilestone(previousStatus, to) ? await lineData(em, order) : null;
  for (const [type, data] of moveEvents(order, previousStatus, reason, at, lines)) recordEvent(em, type, data as never);
}

interface OrderRow {
  id: string; number: string; customer_id: string; cart_id: string; status: OrderStatus; currency: string; subtotal: number;
  discount: number; shipping_total: number; total: number; coupon_code: string | null; placed_at: Date; cancellation_reason: string | null;
  lines: { id: string; product_id: string; product_name: string; quantity: number; unit_price: number }[] | null;
}

/** The order with its lines (they never change once the order is placed: the events of a milestone need them), locked or not. */
async function readOrder(em: EntityManager, orderId: string, lock: boolean): Promise<OrderRow | undefined> {
  const [row] = await em.execute<OrderRow[]>(
    `SELECT id, number, customer_id, cart_id, status, currency, subtotal, discount, shipping_total, total, coupon_code, placed_at,
       cancellation_reason,
       (SELECT json_agg(json_build_object('id', l.id, 'product_id', l.product_id, 'product_name', l.product_name,
          'quantity', l.quantity, 'unit_price', l.unit_price) ORDER BY l.position) FROM order_lines l WHERE l.order_id = orders.id) AS lines
     FROM orders WHERE id = ?${lock ? ' FOR UPDATE' : ''}`, [orderId]);
  return row;
}

/**
 * Writes the move of an order read as `row` in one statement: the status
 * (only if the order still has the status it was read with), its history
 * row and its events, all or none; with `inbox`, only for an event not
 * handled before, claiming it. Returns whether the order moved, and whether
 * the event had been handled before.
 */
async function writeMove(
  em: EntityManager, row: OrderRow, to: OrderStatus, reason: string | null, inbox: InboxClaim,
): Promise<{ moved: boolean; seen: boolean }> {
  const order = Object.assign(new Order(), {
    id: row.id, number: row.number, customerId: row.customer_id, cartId: row.cart_id, status: row.status, currency: row.currency,
    subtotal: row.subtotal, discount: row.discount, shippingTotal: row.shipping_total, total: row.total, couponCode: row.coupon_code,
    placedAt: new Date(row.placed_at), cancellationReason: row.cancellation_reason,
  });
  const at = new Date();
  const previousStatus = move(order, to, reason, at);
  let lines: OrderLineData[] | null = null;
  if (hasMilestone(previousStatus, to)) {
    lines = (row.lines ?? []).map((l) => ({
      lineId: l.id, productId: l.product_id, name: l.product_name, quantity: l.quantity, unitPrice: { amount: l.unit_price, currency: order.currency },
    }));
  }
  const events = moveEvents(order, previousStatus, reason, at, lines).map(([type, data]) => outboxRow(type, data as never));
  const [result] = await em.execute<{ moved: boolean; seen: boolean }[]>(
    `WITH ${inbox.seenCte}moved AS (
       UPDATE orders SET status = ?, updated_at = ?, cancellation_reason = ? WHERE id = ? AND status = ? ${inbox.unseen} RETURNING id
     ), history AS (
       INSERT INTO order_status_changes (id, order_id, status, reason, at) SELECT ?, id, ?, ?, ? FROM moved
     ), events AS (
       ${outboxInsertWhen(events, 'EXISTS (SELECT 1 FROM moved)')}
     )${inbox.claimCte('moved')}
     SELECT EXISTS (SELECT 1 FROM moved) AS moved, ${inbox.seenBefore} AS seen`,
    [...inbox.seenParams, to, at, order.cancellationReason, row.id, previousStatus,
      newId(), to, reason, at, ...events.flatMap((e) => e.params), ...inbox.claimParams]);
  const moved = Boolean(result?.moved);
  if (moved) timeCheckoutEnd(em, previousStatus, to, order.placedAt);
  return { moved, seen: Boolean(result?.seen) };
}

/**
 * Applies a saga outcome when the order is still where the saga expects it;
 * a late or repeated event changes nothing. Plain SQL, outside the identity
 * map: the row is locked, then one statement writes the move, its history
 * row and its events.
 */
export async function transitionIfPossible(em: EntityManager, orderId: string, to: OrderStatus, reason: string | null = null): Promise<boolean> {
  const row = await readOrder(em, orderId, true);
  if (!row || !canTransition(row.status, to)) return false;
  return (await writeMove(em, row, to, reason, NO_INBOX)).moved;
}

/**
 * `transitionIfPossible` for `ConsumerSpec.handleAtOnce`, outside any
 * transaction: the order is read without a lock, then one statement moves
 * it only if its status is still the one read, and claims the event. An
 * order another writer moved in between is left to `handle` ('use handle'),
 * which locks it and looks again.
 */
export async function transitionAtOnce(
  em: EntityManager, orderId: string, to: OrderStatus, reason: string | null, inbox: InboxClaim,
): Promise<'handled' | 'use handle'> {
  const row = await readOrder(em, orderId, false);
  if (!row || !canTransition(row.status, to)) return 'handled';
  const { moved, seen } = await writeMove(em, row, to, reason, inbox);
  return moved || seen ? 'handled' : 'use handle';
}
