import { ConsumerSpec } from '@shop/platform';
import { insertPendingShipment, insertShipment, lockShipment, track } from './shipment.repository';
import { orderCancelledSchema, orderConfirmedSchema } from './shipment.validation';

const waitingNote = (number: string) => `Order ${number} confirmed; waiting to be handed to a carrier`;

/**
 * orders.order.confirmed: the order's shipment, PENDING. A cancellation
 * that overtook the confirmation left a tombstone, which stays cancelled
 * and learns the number. A tombstone only a hold made (its customer not
 * vouched for by orders) stays cancelled when the hold named the order's
 * customer; one that named someone else was no cancellation of this order
 * (its customer would have named themselves) and is replaced. The usual
 * confirmation is one statement outside a transaction, claiming its inbox
 * row itself; the others go through `handle`.
 */
export const orderConfirmedConsumer: ConsumerSpec<'orders.order.confirmed'> = {
  name: 'shipping-order-confirmed',
  type: 'orders.order.confirmed',
  batched: true,
  async handleAtOnce(em, event, _env, inbox) {
    const parsed = orderConfirmedSchema.safeParse(event.data);
    if (!parsed.success) return 'use handle';
    const { orderId, number, customerId } = parsed.data;
    return await insertPendingShipment(em, { orderId, orderNumber: number, customerId }, waitingNote(number), inbox) ? 'handled' : 'use handle';
  },
  async handle(em, event, { log }) {
    const parsed = orderConfirmedSchema.safeParse(event.data);
    if (!parsed.success) {
      log.error({ eventId: event.id, issues: parsed.error.issues }, 'dropping a malformed orders.order.confirmed');
      return;
    }
    const { orderId, number, customerId } = parsed.data;
    const waiting = waitingNote(number);
    if (await insertPendingShipment(em, { orderId, orderNumber: number, customerId }, waiting)) return;
    const { shipment, created } = await insertShipment(em, { orderId, orderNumber: number, customerId, customerVerified: true, status: 'PENDING' });
    if (created) {
      track(em, shipment, 'PENDING', waiting);
      return;
    }
    if (shipment.orderNumber !== null && shipment.customerVerified) return;
    const forged = !shipment.customerVerified && shipment.customerId !== customerId;
    Object.assign(shipment, { orderNumber: number, customerId, customerVerified: true, updatedAt: new Date() });
    if (forged && shipment.status === 'CANCELLED') {
      log.warn({ orderId, eventId: event.id }, "replacing a cancelled shipment held in another customer's name than the order's");
      shipment.status = 'PENDING';
      track(em, shipment, 'PENDING', waiting);
    }
  },
};

/**
 * orders.order.cancelled: the shipment must never ship. Orders holds the
 * shipment before cancelling a confirmed order, so this normally finds it
 * cancelled already; it covers every other way an order gets cancelled.
 * An order cancelled while PENDING was never confirmed and never will be:
 * no tombstone for it.
 */
export const orderCancelledConsumer: ConsumerSpec<'orders.order.cancelled'> = {
  name: 'shipping-order-cancelled',
  type: 'orders.order.cancelled',
  async handle(em, event, { log }) {
    const parsed = orderCancelledSchema.safeParse(event.data);
    if (!parsed.success) {
      log.error({ eventId: event.id, issues: parsed.error.issues }, 'dropping a malformed orders.order.cancelled');
      return;
    }
    const { orderId, customerId, previousStatus } = parsed.data;
    const existing = await lockShipment(em, orderId);
    if (!existing && previousStatus === 'PENDING') return;
    const shipment = existing
      ?? (await insertShipment(em, { orderId, orderNumber: null, customerId, customerVerified: true, status: 'CANCELLED' })).shipment;
    if (shipment.status === 'SHIPPED' || shipment.status === 'DELIVERED') {
      log.error({ orderId, status: shipment.status }, 'an order was cancelled after its shipment left');
      return;
    }
    if (shipment.status === 'CANCELLED' && shipment.customerVerified) return;
    Object.assign(shipment, { status: 'CANCELLED', customerId, customerVerified: true, updatedAt: new Date() });
  },
};
