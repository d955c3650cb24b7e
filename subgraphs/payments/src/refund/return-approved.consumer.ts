import { LockMode } from '@mikro-orm/postgresql';
import { ConsumerSpec } from '@shop/platform';
import { PaymentProvider } from '../provider/payment-provider';
import { Payment } from '../payment/payment.entity';
import { returnApprovedSchema } from './refund.validation';
import { refundPayment } from './refund.service';

/** Thrown while the returned order's payment is not captured yet: the event is redelivered until it is. */
export class PaymentNotYetCaptured extends Error {
  constructor(orderId: string, status: string) {
    super(`Payment of order ${orderId} is ${status}, not captured yet; retrying the refund`);
  }
}

/**
 * returns.return.approved: pay the return back, once, under the key
 * `return:<returnId>`. A final return gets whatever of the capture is left
 * (shipping included), any other at most its refundAmount. The payment row
 * is locked first, so concurrent copies of the approval queue on it.
 */
export function returnApprovedConsumer(provider: PaymentProvider): ConsumerSpec<'returns.return.approved'> {
  return {
    name: 'payments-return-approved',
    type: 'returns.return.approved',
    async handle(em, event, { log }) {
      const parsed = returnApprovedSchema.safeParse(event.data);
      if (!parsed.success) {
        log.error({ eventId: event.id, issues: parsed.error.issues }, 'dropping a malformed returns.return.approved');
        return;
      }
      const { returnId, orderId, refundAmount, final } = parsed.data;
      const payment = await em.findOne(Payment, { orderId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      // Capture follows shipping, which precedes any return: a payment that is missing or AUTHORIZED is still on its way.
      if (!payment) throw new PaymentNotYetCaptured(orderId, 'not recorded');
      if (payment.status === 'AUTHORIZED') throw new PaymentNotYetCaptured(orderId, payment.status);
      if (payment.status !== 'CAPTURED' && payment.status !== 'REFUNDED') {
        log.error({ eventId: event.id, orderId, returnId, status: payment.status }, 'dropping a return approval for a payment that was never charged');
        return;
      }
      if (refundAmount.currency !== payment.currency) {
        log.error({ eventId: event.id, orderId, returnId, currency: refundAmount.currency }, "dropping a return approval in another currency than the payment's");
        return;
      }
      await refundPayment(em, provider, payment, {
        idempotencyKey: `return:${returnId}`, amount: final ? 'REST' : refundAmount.amount, returnId,
      });
    },
  };
}
