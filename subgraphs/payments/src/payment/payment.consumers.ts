import { ConsumerSpec, EventNotReady, isId } from '@shop/platform';
import { orderCancelledSchema } from '../intent/intent.validation';
import { PaymentIntent } from '../intent/payment-intent.entity';
import { PaymentProvider } from '../provider/payment-provider';
import { authorizeOrderPayment } from './authorize.service';
import { cancelOrderPayment } from './cancel.service';
import { captureOrderPayment } from './capture.service';
import { shipmentShippedSchema } from './payment.validation';

/** Thrown while a shipped order's payment is not recorded yet (its saga is still running): the event is redelivered. */
export class PaymentNotYetKnown extends EventNotReady {
  constructor(orderId: string) {
    super(`No payment for shipped order ${orderId} yet; retrying the capture`);
  }
}

/** inventory.stock.reserved: authorize the order's payment (saga step 2). */
export function stockReservedConsumer(provider: PaymentProvider): ConsumerSpec<'inventory.stock.reserved'> {
  return {
    name: 'payments-stock-reserved',
    type: 'inventory.stock.reserved',
    batched: true,
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

/** shipping.shipment.shipped: the goods left, so charge the order's authorization in full. */
export function shipmentShippedConsumer(provider: PaymentProvider): ConsumerSpec<'shipping.shipment.shipped'> {
  return {
    name: 'payments-shipment-shipped',
    type: 'shipping.shipment.shipped',
    async handle(em, event, { log }) {
      const parsed = shipmentShippedSchema.safeParse(event.data);
      if (!parsed.success) {
        log.error({ eventId: event.id, issues: parsed.error.issues }, 'dropping a malformed shipping.shipment.shipped');
        return;
      }
      const { orderId } = parsed.data;
      const payment = await captureOrderPayment(em, provider, orderId);
      if (!payment) {
        // An order cancelled before it was paid never will be; anything else is a saga still under way.
        const intent = await em.findOne(PaymentIntent, { orderId });
        if (!intent?.cancelled) throw new PaymentNotYetKnown(orderId);
        log.error({ eventId: event.id, orderId }, 'dropping a shipment of an order cancelled before payment');
      } else if (payment.status === 'FAILED' || payment.status === 'VOIDED') {
        log.error({ eventId: event.id, orderId, status: payment.status }, 'dropping a shipment of an order whose payment cannot be captured');
      }
    },
  };
}
