import { EntityManager } from '@mikro-orm/postgresql';
import { ConsumerSpec, InboxClaim, NO_INBOX } from '@shop/platform';
import { OrderPlaced, orderPlacedSchema } from './intent.validation';

/**
 * Writes the intent in one statement; with `inbox` (outside a transaction)
 * only for an event not handled before, claiming it.
 */
async function rememberAmount(em: EntityManager, placed: OrderPlaced, inbox: InboxClaim = NO_INBOX): Promise<void> {
  const { orderId, customerId, total, currency, paymentToken } = placed;
  await em.execute(
    `WITH ${inbox.seenCte}fresh AS (SELECT 1 WHERE NOT ${inbox.seenBefore}), intent AS (
       INSERT INTO payment_intents (order_id, customer_id, amount, currency, payment_token, cancelled, created_at)
       SELECT ?, ?, ?, ?, ?, false, now() FROM fresh
       ON CONFLICT (order_id) DO UPDATE SET amount = EXCLUDED.amount, currency = EXCLUDED.currency, payment_token = EXCLUDED.payment_token
       WHERE payment_intents.amount IS NULL
     )${inbox.claimCte('fresh')}
     SELECT 1`,
    [...inbox.seenParams, orderId, customerId, total, currency, paymentToken, ...inbox.claimParams]);
}

/**
 * Remembers what to charge for a new order. An intent that a cancellation
 * created first (it overtook this event) gets its amount but stays
 * cancelled; a second placement of the same order changes nothing.
 * The usual event is one statement outside a transaction, claiming its
 * inbox row itself.
 */
export const orderPlacedConsumer: ConsumerSpec<'orders.order.placed'> = {
  name: 'payments-order-placed',
  type: 'orders.order.placed',
  batched: true,
  async handleAtOnce(em, event, _env, inbox) {
    const parsed = orderPlacedSchema.safeParse(event.data);
    if (!parsed.success) return 'use handle';
    await rememberAmount(em, parsed.data, inbox);
    return 'handled';
  },
  async handle(em, event, { log }) {
    const parsed = orderPlacedSchema.safeParse(event.data);
    // A malformed event would fail every redelivery; there is nothing to record.
    if (!parsed.success) {
      log.error({ eventId: event.id, issues: parsed.error.issues }, 'dropping a malformed orders.order.placed');
      return;
    }
    await rememberAmount(em, parsed.data);
  },
};
