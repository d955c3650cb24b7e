import { Resolvers } from '../generated/graphql';
import { claimCoupon } from './claim.service';

export const claimResolvers: Resolvers = {
  Mutation: {
    claimCoupon: (_root, { orderId, code, subtotal, currency }, ctx) => claimCoupon(ctx, orderId, code, subtotal, currency),
  },
};
