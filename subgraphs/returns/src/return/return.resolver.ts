import { DateTimeScalar, money } from '@shop/platform';
import { Resolvers } from '../generated/graphql';
import { requestReturn } from './request.service';
import { approveReturn, rejectReturn } from './decision.service';
import { listReturns } from './return-list.service';

export const returnResolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query: {
    returnRequests: (_root, args, ctx) => listReturns(ctx, args),
  },
  Mutation: {
    requestReturn: (_root, { orderId, lineIds, reason }, ctx) => requestReturn(ctx, orderId, lineIds, reason),
    approveReturn: (_root, { id }, ctx) => approveReturn(ctx, id),
    rejectReturn: (_root, { id, reason }, ctx) => rejectReturn(ctx, id, reason),
  },
  ReturnRequest: {
    order: (ret) => ({ id: ret.orderId }),
    lines: async (ret, _args, ctx) => {
      const [order, lines] = await Promise.all([ctx.loaders.order.load(ret.orderId), ctx.loaders.returnLines.load(ret.id)]);
      return lines.map((line) => ({ ...line, currency: order!.currency }));
    },
    refundAmount: async (ret, _args, ctx) =>
      ret.refundAmount === null ? null : money(ret.refundAmount, (await ctx.loaders.order.load(ret.orderId))!.currency),
    refundedAmount: async (ret, _args, ctx) =>
      ret.refundedAmount === null ? null : money(ret.refundedAmount, (await ctx.loaders.order.load(ret.orderId))!.currency),
  },
};
