import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import { OrderLineData, newId, observeCheckoutEnd, recordEvent } from '@shop/platform';
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

/**
 * Moves an order to a new status inside the caller's transaction: checks
 * the state machine, appends to the history and records the events the
 * rest of the saga (and subscribers) react to.
 */
export async function transition(em: EntityManager, order: Order, to: OrderStatus, reason: string | null = null): Promise<void> {
  assertTransition(order.status, to);
  const previousStatus = order.status;
  const at = new Date();
  order.status = to;
  order.updatedAt = at;
  if (to === 'CANCELLED') order.cancellationReason = reason;
  if (previousStatus === 'PENDING' && (to === 'CONFIRMED' || to === 'CANCELLED')) observeCheckoutEnd(to, order.placedAt);
  em.persist(em.create(StatusChange, { id: newId(), orderId: order.id, status: to, reason, at }));
  await recordMilestone(em, order, previousStatus, reason, at);
  recordEvent(em, 'orders.order.status-changed', {
    orderId: order.id, customerId: order.customerId, status: to, previousStatus, reason, at: at.toISOString(),
  });
}

/** The full-data event of the moves other subgraphs act on: confirmed, cancelled, delivered. */
async function recordMilestone(em: EntityManager, order: Order, previousStatus: OrderStatus, reason: string | null, at: Date): Promise<void> {
  const to = order.status;
  // Back to DELIVERED after a return is no new delivery: returns and reviews learn each purchase once.
  const delivered = to === 'DELIVERED' && previousStatus === 'SHIPPED';
  if (to !== 'CONFIRMED' && to !== 'CANCELLED' && !delivered) return;
  const lines = await lineData(em, order);
  const base = { orderId: order.id, customerId: order.customerId, lines };
  if (to === 'CONFIRMED') {
    recordEvent(em, 'orders.order.confirmed', {
      ...base, number: order.number, cartId: order.cartId, couponCode: order.couponCode ?? null, currency: order.currency, total: order.total,
    });
  } else if (to === 'CANCELLED') {
    recordEvent(em, 'orders.order.cancelled', { ...base, number: order.number, reason: reason ?? 'Cancelled', previousStatus, couponCode: order.couponCode ?? null });
  } else {
    recordEvent(em, 'orders.order.delivered', {
      ...base, number: order.number, currency: order.currency, subtotal: order.subtotal, discount: order.discount,
      shippingTotal: order.shippingTotal, total: order.total, deliveredAt: at.toISOString(),
    });
  }
}

/** Applies a saga outcome when the order is still where the saga expects it; a late or repeated event changes nothing. */
export async function transitionIfPossible(em: EntityManager, orderId: string, to: OrderStatus, reason: string | null = null): Promise<boolean> {
  const order = await lockOrder(em, orderId);
  if (!order || !canTransition(order.status, to)) return false;
  await transition(em, order, to, reason);
  return true;
}
