import { Resolvers } from '../generated/graphql';
import { cartDiscount, cartTotal } from './cart-discount.service';

export const cartDiscountResolvers: Resolvers = {
  Cart: {
    __resolveReference: (ref) => ref,
    discount: (cart, _args, ctx) => cartDiscount(ctx, cart),
    total: (cart, _args, ctx) => cartTotal(ctx, cart),
  },
};
