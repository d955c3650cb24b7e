import { Resolvers } from '../generated/graphql';
import { applyCoupon, removeCoupon } from './apply-coupon.service';

export const couponResolvers: Resolvers = {
  Mutation: {
    applyCoupon: (_root, { cartId, code }, ctx) => applyCoupon(ctx, cartId, code),
    removeCoupon: (_root, { cartId }, ctx) => removeCoupon(ctx, cartId),
  },
};
