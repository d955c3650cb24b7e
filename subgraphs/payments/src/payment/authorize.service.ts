import { EntityManager } from '@mikro-orm/postgresql';
import { EventNotReady, OUTBOX_COLUMNS, money, newId, outboxRow } from '@shop/platform';
import { PaymentIntent, chargeOf } from '../intent/payment-intent.entity';
import { PaymentProvider, callProvider } from '../provider/payment-provider';

/**
 * Thrown, before anything is written, while the order's intent has not
 * arrived: the event is redelivered until it has, and the other events of
 * its batch commit without it.
 */
export class IntentNotYetKnown extends EventNotReady {
  constructor(orderId: string) {
    super(`No payment intent for order ${orderId} yet (orders.order.placed not handled); retrying`);
  }
}

interface IntentRow {
  customer_id: string; amount: number | null; currency: string | null; payment_token: string | null; cancelled: boolean; claimed: boolean;
}

/**
 * Step 2 of the checkout saga: the stock of an order is reserved, so ask the
 * provider to authorize its total, once. Runs in the event's transaction:
 * the intent row is locked (a concurrent cancellation or a second
 * stock.reserved for the order waits) and the payment claimed, the provider
 * called with the order id as idempotency key, and the outcome recorded
 * with its event in the outbox. A redelivery finds the payment and does
 * nothing. If the process dies after the provider answered but before the
 * commit, nothing was recorded: the redelivery calls the provider again
 * with the same key and gets the same authorization, not a second one.
 */
export async function authorizeOrderPayment(em: EntityManager, provider: PaymentProvider, orderId: string): Promise<void> {
  // The intent locked and the payment claimed in one statement: a PENDING row, unless the intent is cancelled or
  // incomplete, or a payment exists (the unique order id makes a second claim, by any transaction, a no-op).
  const paymentId = newId();
  const [row] = await em.execute<IntentRow[]>(
    `WITH intent AS (
       SELECT order_id, customer_id, amount, currency, payment_token, cancelled FROM payment_intents WHERE order_id = ? FOR UPDATE
     ), claimed AS (
       INSERT INTO payments (id, order_id, customer_id, amount, currency, status, created_at, updated_at)
       SELECT ?, order_id, customer_id, amount, currency, 'PENDING', now(), now() FROM intent
       WHERE NOT cancelled AND amount IS NOT NULL AND currency IS NOT NULL AND payment_token IS NOT NULL
       ON CONFLICT (order_id) DO NOTHING RETURNING id
     )
     SELECT intent.*, EXISTS (SELECT 1 FROM claimed) AS claimed FROM intent`, [orderId, paymentId]);
  if (!row) throw new IntentNotYetKnown(orderId);
  if (row.cancelled) return;
  const charge = chargeOf(Object.assign(new PaymentIntent(), {
    orderId, customerId: row.customer_id, amount: row.amount, currency: row.currency, paymentToken: row.payment_token, cancelled: row.cancelled,
  }));
  if (!charge) throw new Error(`Payment intent of order ${orderId} is incomplete`);
  if (!row.claimed) return;

  const answer = await callProvider('authorize', () => provider.authorize({ orderId, ...charge }));
  // The outcome and its event in one statement.
  const event = answer.approved
    ? outboxRow('payments.payment.authorized', { orderId, paymentId, amount: money(charge.amount, charge.currency) })
    : outboxRow('payments.payment.failed', { orderId, paymentId, reason: answer.reason });
  await em.execute(
    `WITH outcome AS (
       UPDATE payments SET status = ?, provider_reference = ?, failure_reason = ?, updated_at = now() WHERE id = ?
     )
     INSERT INTO outbox_events ${OUTBOX_COLUMNS} VALUES ${event.placeholders}`,
    [answer.approved ? 'AUTHORIZED' : 'FAILED', answer.approved ? answer.reference : null, answer.approved ? null : answer.reason, paymentId,
      ...event.params]);
}
