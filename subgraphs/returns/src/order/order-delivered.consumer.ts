import { ConsumerSpec } from '@shop/platform';
import { orderDeliveredSchema } from './order.validation';

/**
 * Learns a delivered order: its owner, totals and lines, which is all
 * requestReturn and approveReturn need. The first delivery of an order wins:
 * a second one (a redelivery, a repeat of the producer) changes nothing, so
 * a return already asked for can never lose its lines.
 */
export const orderDeliveredConsumer: ConsumerSpec<'orders.order.delivered'> = {
  name: 'returns-order-delivered',
  type: 'orders.order.delivered',
  async handle(em, event, { log }) {
    const parsed = orderDeliveredSchema.safeParse(event.data);
    // A malformed event would fail every redelivery; there is nothing to record.
    if (!parsed.success) {
      log.error({ eventId: event.id, issues: parsed.error.issues }, 'dropping a malformed orders.order.delivered');
      return;
    }
    const o = parsed.data;
    const inserted = await em.execute(
      `INSERT INTO delivered_orders (id, number, customer_id, currency, subtotal, discount, shipping_total, total, delivered_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, now()) ON CONFLICT (id) DO NOTHING RETURNING id`,
      [o.orderId, o.number, o.customerId, o.currency, o.subtotal, o.discount, o.shippingTotal, o.total, new Date(o.deliveredAt)]);
    if (inserted.length === 0) return;
    for (const [position, line] of o.lines.entries()) {
      // A line id another order already holds would make this order's lines ambiguous: keep the first.
      await em.execute(
        `INSERT INTO delivered_order_lines (id, order_id, product_id, name, quantity, unit_price, position)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
        [line.lineId, o.orderId, line.productId, line.name, line.quantity, line.unitPrice.amount, position]);
    }
  },
};
