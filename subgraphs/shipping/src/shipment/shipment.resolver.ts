import { DateTimeScalar } from '@shop/platform';
import { Resolvers } from '../generated/graphql';
import * as shipments from './shipment.service';

export const shipmentResolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Mutation: {
    shipOrder: (_root, { orderId, carrier }, ctx) => shipments.shipOrder(ctx, orderId, carrier),
    markDelivered: (_root, { orderId }, ctx) => shipments.markDelivered(ctx, orderId),
    holdShipment: (_root, { orderId, customerId }, ctx) => shipments.holdShipment(ctx, orderId, customerId),
  },
  Shipment: {
    events: (shipment, _args, ctx) => ctx.loaders.trackingEvents.load(shipment.id),
  },
};
