import { DateTimeScalar, SubgraphDefinition, loadTypeDefs } from '@shop/platform';
import { DiscountsLoaders, createLoaders } from './context';
import { migrations } from './migrations';
import { CouponSchema } from './coupon/coupon.entity';
import { RedemptionSchema } from './redemption/redemption.entity';
import { couponResolvers } from './coupon/coupon.resolver';
import { quoteResolvers } from './quote/quote.resolver';
import { claimResolvers } from './redemption/claim.resolver';
import { cartDiscountResolvers } from './cart/cart-discount.resolver';
import { redemptionConsumers } from './redemption/redemption.consumers';
import { claimSweeperJob } from './redemption/claim-sweeper';

/** Discounts: coupons, what they take off carts, and their redemptions through the checkout saga. */
export const discounts: SubgraphDefinition<DiscountsLoaders> = {
  name: 'discounts',
  typeDefs: loadTypeDefs(__dirname, '../schema.graphql'),
  resolvers: [{ DateTime: DateTimeScalar }, couponResolvers, quoteResolvers, claimResolvers, cartDiscountResolvers],
  entities: [CouponSchema, RedemptionSchema],
  migrations,
  createLoaders,
  consumers: redemptionConsumers,
  jobs: [claimSweeperJob],
};
