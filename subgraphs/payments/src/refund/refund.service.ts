import { EntityManager } from '@mikro-orm/postgresql';
import { money, newId, recordEvent } from '@shop/platform';
import { PaymentProvider, callProvider } from '../provider/payment-provider';
import { Payment } from '../payment/payment.entity';
import { Refund } from './refund.entity';

/** What to pay back: an amount (capped at what is left), or everything left. */
export interface RefundRequest {
  /** `return:<returnId>` or `cancel:<orderId>`: one refund per key, also at the provider. */
  idempotencyKey: string;
  amount: number | 'REST';
  returnId: string | null;
}

/**
 * Pays back part or all of a CAPTURED (or already REFUNDED) payment that
 * the caller holds locked (`SELECT ... FOR UPDATE`), so concurrent requests
 * queue on the row and the second one finds the first one's refund under
 * its key and does nothing. The provider is asked with the same key, so a
 * crash after its answer and a redelivery still refund once. The payment
 * becomes REFUNDED when the whole capture is back, and
 * `payments.payment.refunded` goes to the outbox. Nothing left to refund
 * records a refund of 0 without a provider call, so the return still
 * hears that its money is settled. Answers null when the key was used.
 */
export async function refundPayment(em: EntityManager, provider: PaymentProvider, payment: Payment, request: RefundRequest): Promise<Refund | null> {
  if (await em.findOne(Refund, { idempotencyKey: request.idempotencyKey })) return null;
  if (!payment.providerReference) throw new Error(`Payment ${payment.id} has no provider reference to refund`);
  const reference = payment.providerReference;
  const left = payment.capturedAmount - payment.refundedAmount;
  const amount = request.amount === 'REST' ? left : Math.min(request.amount, left);
  const providerReference = amount > 0
    ? await callProvider('refund', () => provider.refund(reference, amount, request.idempotencyKey))
    : null;

  const refund = Object.assign(new Refund(), {
    id: newId(), paymentId: payment.id, idempotencyKey: request.idempotencyKey, amount, providerReference,
    returnId: request.returnId, createdAt: new Date(),
  });
  em.persist(refund);
  payment.refundedAmount += amount;
  const fullyRefunded = payment.refundedAmount === payment.capturedAmount;
  if (fullyRefunded) payment.status = 'REFUNDED';
  payment.updatedAt = new Date();
  recordEvent(em, 'payments.payment.refunded', {
    orderId: payment.orderId, paymentId: payment.id, returnId: request.returnId,
    amount: money(amount, payment.currency), refundedTotal: money(payment.refundedAmount, payment.currency), fullyRefunded,
  });
  return refund;
}
