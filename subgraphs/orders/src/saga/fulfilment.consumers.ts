import { ConsumerSpec, isId } from '@shop/platform';
import { Order } from '../order/order.entity';
import { transitionIfPossible } from './order-transitions';

/** shipping.shipment.shipped: CONFIRMED → SHIPPED. A cancelled order stays cancelled (shipping refuses to ship one it held). */
const shipmentShipped: ConsumerSpec<'shipping.shipment.shipped'> = {
  name: 'orders-shipment-shipped',
  type: 'shipping.shipment.shipped',
  async handle(em, { id, data }, { log }) {
    if (!isId(data?.orderId)) {
      log.error({ eventId: id }, 'dropping a shipping.shipment.shipped without a valid orderId');
      return;
    }
    const carrier = typeof data.carrier === 'string' ? data.carrier : 'the carrier';
    if (await transitionIfPossible(em, data.orderId, 'SHIPPED', `Shipped with ${carrier}`)) return;
    // The hold at cancelOrder makes this impossible; should it happen anyway, a parcel is travelling for a cancelled order.
    const order = await em.findOne(Order, { id: data.orderId });
    if (order?.status === 'CANCELLED') log.error({ orderId: data.orderId, eventId: id }, 'a cancelled order was shipped');
  },
};

/** shipping.shipment.delivered: SHIPPED → DELIVERED, which records orders.order.delivered. */
const shipmentDelivered: ConsumerSpec<'shipping.shipment.delivered'> = {
  name: 'orders-shipment-delivered',
  type: 'shipping.shipment.delivered',
  async handle(em, { id, data }, { log }) {
    if (!isId(data?.orderId)) {
      log.error({ eventId: id }, 'dropping a shipping.shipment.delivered without a valid orderId');
      return;
    }
    await transitionIfPossible(em, data.orderId, 'DELIVERED', 'Delivered');
  },
};

/** What shipping tells orders about the journey of an order. */
export const fulfilmentConsumers = [shipmentShipped, shipmentDelivered];
