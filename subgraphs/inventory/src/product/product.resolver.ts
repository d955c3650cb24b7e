import { Resolvers } from '../generated/graphql';
import * as products from './product.service';

export const productResolvers: Resolvers = {
  Product: {
    __resolveReference: (ref, ctx) => products.resolveProduct(ctx, ref.id),
    stock: (product, _args, ctx) => products.productStock(ctx, product),
  },
};
