import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import { PaymentProvider, callProvider } from '../provider/payment-provider';
import { refundPayment } from '../refund/refund.service';
import { Payment } from './payment.entity';

/**
 * The order was cancelled: release its money. The intent is marked
 * cancelled first, created so if the cancellation overtook the placement,
 * which takes the intent's lock (a running authorization finishes first)
 * and keeps a late stock.reserved from charging. Then an AUTHORIZED
 * payment is voided; a CAPTURED one gets back whatever is not refunded yet,
 * under the key `cancel:<orderId>`; any other state (none, FAILED, VOIDED,
 * REFUNDED) needs nothing, so a second delivery is a no-op.
 */
export async function cancelOrderPayment(em: EntityManager, provider: PaymentProvider, orderId: string, customerId: string): Promise<void> {
  await em.execute(
    `INSERT INTO payment_intents (order_id, customer_id, cancelled, created_at) VALUES (?, ?, true, now())
     ON CONFLICT (order_id) DO UPDATE SET cancelled = true`, [orderId, customerId]);
  const payment = await em.findOne(Payment, { orderId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!payment?.providerReference) return;
  const reference = payment.providerReference;
  if (payment.status === 'AUTHORIZED') {
    await callProvider('void', () => provider.void(reference));
    payment.status = 'VOIDED';
    payment.updatedAt = new Date();
  } else if (payment.status === 'CAPTURED') {
    await refundPayment(em, provider, payment, { idempotencyKey: `cancel:${orderId}`, amount: 'REST', returnId: null });
  }
}
