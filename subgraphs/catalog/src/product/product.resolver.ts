import { Resolvers } from '../generated/graphql';
import * as products from './product.service';
import { priceIn } from './price';

export const productResolvers: Resolvers = {
  Query: {
    product: (_root, { id, slug }, ctx) => products.findProduct(ctx, id, slug),
  },
  Mutation: {
    createProduct: (_root, { input }, ctx) => products.createProduct(ctx, input),
    updateProduct: (_root, { id, input }, ctx) => products.updateProduct(ctx, id, input),
  },
  Product: {
    __resolveReference: (ref, ctx) => products.productById(ctx, ref.id),
    category: (product, _args, ctx) => (product.categoryId
      ? ctx.loaders.known.category.get(product.categoryId) ?? ctx.loaders.category.load(product.categoryId)
      : null),
    price: (product, { currency }, ctx) => priceIn(ctx, product, currency),
    stock: (product, _args, ctx) => products.fromCopies(ctx, product, (c) => c.stock),
    rating: (product, _args, ctx) => products.fromCopies(ctx, product, (c) => c.rating.average),
    reviewCount: (product, _args, ctx) => products.fromCopies(ctx, product, (c) => c.rating.count),
  },
};
