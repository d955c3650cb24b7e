import { ConsumerSpec } from '@shop/platform';
import { orderDeliveredSchema } from './purchase.validation';
import { recordPurchases } from './purchase.service';

/**
 * Learns verified purchases: every product of a delivered order may now be
 * reviewed by its customer. Idempotent by state as well as by the inbox, so
 * a second delivered event for the same order changes nothing.
 */
export const orderDeliveredConsumer: ConsumerSpec<'orders.order.delivered'> = {
  name: 'reviews-order-delivered',
  type: 'orders.order.delivered',
  async handle(em, event, { log }) {
    const parsed = orderDeliveredSchema.safeParse(event.data);
    // A malformed event would fail every redelivery; there is nothing to record.
    if (!parsed.success) {
      log.error({ eventId: event.id, issues: parsed.error.issues }, 'dropping a malformed orders.order.delivered');
      return;
    }
    const { orderId, customerId, lines, deliveredAt } = parsed.data;
    await recordPurchases(em, { orderId, customerId, productIds: lines.map((l) => l.productId), deliveredAt: new Date(deliveredAt ?? event.occurredAt) });
  },
};
