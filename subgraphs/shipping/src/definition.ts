import { SubgraphDefinition, loadTypeDefs } from '@shop/platform';
import { ShippingLoaders, createLoaders } from './context';
import { migrations } from './migrations';
import { ShippingMethodSchema } from './method/shipping-method.entity';
import { shippingMethodResolvers } from './method/shipping-method.resolver';
import { ShipmentSchema } from './shipment/shipment.entity';
import { TrackingEventSchema } from './shipment/tracking-event.entity';
import { shipmentResolvers } from './shipment/shipment.resolver';
import { orderResolvers } from './order/order.resolver';
import { orderCancelledConsumer, orderConfirmedConsumer } from './shipment/order-events.consumers';

/** Shipping: the shipping methods checkout offers, and the shipment of every confirmed order. */
export const shipping: SubgraphDefinition<ShippingLoaders> = {
  name: 'shipping',
  typeDefs: loadTypeDefs(__dirname, '../schema.graphql'),
  resolvers: [shippingMethodResolvers, shipmentResolvers, orderResolvers],
  entities: [ShippingMethodSchema, ShipmentSchema, TrackingEventSchema],
  migrations,
  createLoaders,
  publishesEvents: true,
  consumers: [orderConfirmedConsumer, orderCancelledConsumer],
};
