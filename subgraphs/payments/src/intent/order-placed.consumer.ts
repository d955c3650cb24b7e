import { ConsumerSpec } from '@shop/platform';
import { orderPlacedSchema } from './intent.validation';

/**
 * Remembers what to charge for a new order. An intent that a cancellation
 * created first (it overtook this event) gets its amount but stays
 * cancelled; a second placement of the same order changes nothing.
 */
export const orderPlacedConsumer: ConsumerSpec<'orders.order.placed'> = {
  name: 'payments-order-placed',
  type: 'orders.order.placed',
  batched: true,
  async handle(em, event, { log }) {
    const parsed = orderPlacedSchema.safeParse(event.data);
    // A malformed event would fail every redelivery; there is nothing to record.
    if (!parsed.success) {
      log.error({ eventId: event.id, issues: parsed.error.issues }, 'dropping a malformed orders.order.placed');
      return;
    }
    const { orderId, customerId, total, currency, paymentToken } = parsed.data;
    await em.execute(
      `INSERT INTO payment_intents (order_id, customer_id, amount, currency, payment_token, cancelled, created_at)
       VALUES (?, ?, ?, ?, ?, false, now())
       ON CONFLICT (order_id) DO UPDATE SET amount = EXCLUDED.amount, currency = EXCLUDED.currency, payment_token = EXCLUDED.payment_token
       WHERE payment_intents.amount IS NULL`,
      [orderId, customerId, total, currency, paymentToken]);
  },
};
