import { Resolvers } from '../generated/graphql';
import * as orders from './order.service';

export const orderResolvers: Resolvers = {
  Order: {
    __resolveReference: (ref) => orders.orderRef(ref.id),
    shipment: (order, _args, ctx) => orders.orderShipment(ctx, order),
  },
};
