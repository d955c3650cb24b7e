import { Resolvers } from '../generated/graphql';
import { checkoutCart } from './checkout-cart.service';

export const checkoutCartResolvers: Resolvers = {
  Query: {
    checkoutCart: (_root, { id }, ctx) => checkoutCart(ctx, id),
  },
};
