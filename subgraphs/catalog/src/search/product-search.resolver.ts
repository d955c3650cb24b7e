import { Resolvers } from '../generated/graphql';
import { searchProducts } from './product-search.service';

export const productSearchResolvers: Resolvers = {
  Query: {
    products: (_root, args, ctx) => searchProducts(ctx, args),
  },
};
