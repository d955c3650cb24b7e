import { Resolvers } from '../generated/graphql';
import * as coupons from './coupon.service';

export const couponResolvers: Resolvers = {
  Query: {
    coupons: (_root, _args, ctx) => coupons.coupons(ctx),
  },
  Mutation: {
    createCoupon: (_root, args, ctx) => coupons.createCoupon(ctx, args),
  },
  Coupon: {
    timesUsed: (coupon, _args, ctx) => coupons.timesUsed(ctx, coupon),
  },
};
