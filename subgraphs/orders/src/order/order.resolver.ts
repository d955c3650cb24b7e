import { DateTimeScalar } from '@shop/platform';
import { Resolvers } from '../generated/graphql';
import * as orders from './order.service';
import { cancelOrder } from './cancel-order.service';

const money = (amount: number, currency: string) => ({ amount, currency });

export const orderResolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query: {
    order: (_root, { id }, ctx) => orders.findOrder(ctx, id),
    orders: (_root, args, ctx) => orders.listOrders(ctx, args),
  },
  Mutation: {
    cancelOrder: (_root, { id }, ctx) => cancelOrder(ctx, id),
  },
  User: {
    orders: (user, args, ctx) => orders.listOrders(ctx, args, user.id),
  },
  Order: {
    __resolveReference: (ref, ctx) => orders.resolveOrderReference(ctx, ref.id),
    customer: (order) => ({ id: order.customerId }),
    lines: async (order, _args, ctx) => (await ctx.loaders.lines.load(order.id)).map((line) => ({ ...line, currency: order.currency })),
    subtotal: (order) => money(order.subtotal, order.currency),
    discount: (order) => money(order.discount, order.currency),
    shippingTotal: (order) => money(order.shippingTotal, order.currency),
    total: (order) => money(order.total, order.currency),
    statusHistory: (order, _args, ctx) => ctx.loaders.history.load(order.id),
  },
  OrderLine: {
    product: (line) => ({ id: line.productId }),
    unitPrice: (line) => money(line.unitPrice, line.currency),
    lineTotal: (line) => money(line.lineTotal, line.currency),
  },
};
