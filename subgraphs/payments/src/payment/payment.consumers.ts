import { ConsumerSpec, isId } from '@shop/platform';
import { orderCancelledSchema } from '../intent/intent.validation';
import { PaymentProvider } from '../provider/payment-provider';
import { authorizeOrderPayment } from './authorize.service';
import { cancelOrderPayment } from './cancel.service';

/** inventory.stock.reserved: authorize the order's payment (saga step 2). */
export function stockReservedConsumer(provider: PaymentProvider): ConsumerSpec<'inventory.stock.reserved'> {
  return {
    name: 'payments-stock-reserved',
    type: 'inventory.stock.reserved',
    async handle(em, { id, data }, { log }) {
      // An id that cannot name an order would fail every redelivery; there is nothing to pay.
      if (!isId(data?.orderId)) {
        log.error({ eventId: id }, 'dropping an inventory.stock.reserved without a valid orderId');
        return;
      }
      await authorizeOrderPayment(em, provider, data.orderId);
    },
  };
}

/** orders.order.cancelled: void or refund the order's payment, or make sure it is never made. */
export function orderCancelledConsumer(provider: PaymentProvider): ConsumerSpec<'orders.order.cancelled'> {
  return {
    name: 'payments-order-cancelled',
    type: 'orders.order.cancelled',
    async handle(em, event, { log }) {
      const parsed = orderCancelledSchema.safeParse(event.data);
      if (!parsed.success) {
        log.error({ eventId: event.id, issues: parsed.error.issues }, 'dropping a malformed orders.order.cancelled');
        return;
      }
      await cancelOrderPayment(em, provider, parsed.data.orderId, parsed.data.customerId);
    },
  };
}
