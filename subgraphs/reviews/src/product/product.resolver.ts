import { Resolvers } from '../generated/graphql';
import * as products from './product.service';

export const productResolvers: Resolvers = {
  Product: {
    __resolveReference: (ref) => products.resolveProduct(ref.id),
    reviews: (product, args, ctx) => products.productReviews(ctx, product, args),
    rating: (product, _args, ctx) => products.productRating(ctx, product),
    reviewCount: (product, _args, ctx) => products.reviewCount(ctx, product),
  },
};
