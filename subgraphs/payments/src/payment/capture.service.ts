import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import { PaymentProvider, callProvider } from '../provider/payment-provider';
import { Payment } from './payment.entity';

/**
 * Charges an order's AUTHORIZED payment in full; a CAPTURED one stays as it
 * is. Nothing calls it yet: shipping an order (shipOrder, a later step)
 * will, so that customers are charged when their goods leave.
 */
export async function captureOrderPayment(em: EntityManager, provider: PaymentProvider, orderId: string): Promise<Payment | null> {
  const payment = await em.findOne(Payment, { orderId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!payment || payment.status !== 'AUTHORIZED' || !payment.providerReference) return payment;
  const reference = payment.providerReference;
  await callProvider('capture', () => provider.capture(reference, payment.amount));
  payment.status = 'CAPTURED';
  payment.updatedAt = new Date();
  return payment;
}
