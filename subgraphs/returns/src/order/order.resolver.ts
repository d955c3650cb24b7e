import { Resolvers } from '../generated/graphql';
import * as orders from './order.service';

export const orderResolvers: Resolvers = {
  Order: {
    __resolveReference: (ref) => orders.orderRef(ref.id),
    returns: (order, _args, ctx) => orders.orderReturns(ctx, order),
  },
  OrderLine: {
    product: (line) => ({ id: line.productId }),
    unitPrice: (line) => ({ amount: line.unitPrice, currency: line.currency }),
    lineTotal: (line) => ({ amount: line.unitPrice * line.quantity, currency: line.currency }),
  },
};
