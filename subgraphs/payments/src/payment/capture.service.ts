import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import { money, recordEvent } from '@shop/platform';
import { PaymentProvider, callProvider } from '../provider/payment-provider';
import { Payment } from './payment.entity';

/**
 * Charges an order's AUTHORIZED payment in full, when the order ships, and
 * records `payments.payment.captured`; a payment in any other state is
 * answered as it is (null: none yet). The payment row is locked, so a
 * second shipped event for the order waits and then finds it CAPTURED.
 */
export async function captureOrderPayment(em: EntityManager, provider: PaymentProvider, orderId: string): Promise<Payment | null> {
  const payment = await em.findOne(Payment, { orderId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!payment || payment.status !== 'AUTHORIZED' || !payment.providerReference) return payment;
  const reference = payment.providerReference;
  await callProvider('capture', () => provider.capture(reference, payment.amount));
  payment.status = 'CAPTURED';
  payment.capturedAmount = payment.amount;
  payment.updatedAt = new Date();
  recordEvent(em, 'payments.payment.captured', { orderId, paymentId: payment.id, amount: money(payment.amount, payment.currency) });
  return payment;
}
