import { ConsumerSpec } from '@shop/platform';
import { paymentRefundedSchema, returnRestockedSchema } from './return-events.validation';
import { recordRefund, recordRestock } from './settlement.service';

/** payments.payment.refunded for a return: the return is REFUNDED. */
const paymentRefunded: ConsumerSpec<'payments.payment.refunded'> = {
  name: 'returns-payment-refunded',
  type: 'payments.payment.refunded',
  async handle(em, event, { log }) {
    const parsed = paymentRefundedSchema.safeParse(event.data);
    // A malformed event would fail every redelivery; there is nothing to record.
    if (!parsed.success) {
      log.error({ eventId: event.id, issues: parsed.error.issues }, 'dropping a malformed payments.payment.refunded');
      return;
    }
    // Refunds of cancelled orders concern no return.
    if (!parsed.data.returnId) return;
    await recordRefund(em, { orderId: parsed.data.orderId, returnId: parsed.data.returnId, amount: parsed.data.amount.amount }, log);
  },
};

/** inventory.return.restocked: when the return's lines were back on the shelf. */
const returnRestocked: ConsumerSpec<'inventory.return.restocked'> = {
  name: 'returns-return-restocked',
  type: 'inventory.return.restocked',
  async handle(em, event, { log }) {
    const parsed = returnRestockedSchema.safeParse(event.data);
    if (!parsed.success) {
      log.error({ eventId: event.id, issues: parsed.error.issues }, 'dropping a malformed inventory.return.restocked');
      return;
    }
    const at = new Date(event.occurredAt);
    await recordRestock(em, parsed.data.returnId, Number.isNaN(at.getTime()) ? new Date() : at);
  },
};

/** What returns learns after a decision: the refund and the restock. */
export const settlementConsumers = [paymentRefunded, returnRestocked];
