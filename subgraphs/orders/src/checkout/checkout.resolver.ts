import { Resolvers } from '../generated/graphql';
import { checkout } from './checkout.service';

export const checkoutResolvers: Resolvers = {
  Mutation: {
    checkout: (_root, { input }, ctx) => checkout(ctx, input),
  },
};
