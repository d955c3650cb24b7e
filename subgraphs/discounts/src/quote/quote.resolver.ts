import { Resolvers } from '../generated/graphql';
import { quoteCoupon } from './quote.service';

export const quoteResolvers: Resolvers = {
  Query: {
    quoteCoupon: (_root, { code, subtotal, currency }, ctx) => quoteCoupon(ctx, code, subtotal, currency),
  },
};
