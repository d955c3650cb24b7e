import { UserError, isId, requireViewer, transactionalThen, userError } from '@shop/platform';
import { OrdersContext } from '../context';
import { Order } from './order.entity';
import { isCancellable } from './order-status';
import { lockOrder, transition } from '../saga/order-transitions';
import { holdShipment } from './shipping.remote';

export interface OrderResult { order: Order | null; userErrors: UserError[] }

const notCancellable = (order: Order, status: string): OrderResult =>
  ({ order, userErrors: [userError('ORDER_NOT_CANCELLABLE', `A ${status.toLowerCase()} order cannot be cancelled`, ['id'])] });

/**
 * Cancels before shipping; the saga then releases stock and voids or
 * refunds the payment. A CONFIRMED order may be shipping at this moment
 * (shipOrder runs in shipping, its event reaches orders later), so shipping
 * is asked first, while the order row is locked, to hold the shipment:
 * once held it can never ship, and a shipment that left already refuses.
 */
export async function cancelOrder(ctx: OrdersContext, id: string): Promise<OrderResult> {
  const viewer = requireViewer(ctx.identity);
  const notFound = { order: null, userErrors: [userError('ORDER_NOT_FOUND', 'You have no order with this id', ['id'])] };
  if (!isId(id)) return notFound;
  const result = await transactionalThen(ctx.em, async (em): Promise<OrderResult> => {
    const order = await lockOrder(em, id);
    if (!order || (order.customerId !== viewer.userId && viewer.role !== 'ADMIN')) return notFound;
    if (!isCancellable(order.status)) return notCancellable(order, order.status);
    if (order.status === 'CONFIRMED') {
      const hold = await holdShipment(ctx.config, order.id, order.customerId, ctx.authorization);
      if (!hold) {
        return { order, userErrors: [userError('SHIPPING_UNAVAILABLE', 'The order cannot be cancelled right now (shipping does not answer): try again shortly', ['id'])] };
      }
      if (!hold.held) return notCancellable(order, hold.status ?? 'SHIPPED');
    }
    const by = order.customerId === viewer.userId ? 'the customer' : 'an administrator';
    await transition(em, order, 'CANCELLED', `Cancelled by ${by}`);
    return { order, userErrors: [] };
  });
  if (!result.userErrors.length) ctx.eventsRecorded();
  return result;
}
