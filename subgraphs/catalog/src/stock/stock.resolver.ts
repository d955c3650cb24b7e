import { Resolvers } from '../generated/graphql';
import { adminCount } from './stock-copy';

export const stockResolvers: Resolvers = {
  StockLevel: {
    inStock: (level) => level.available > 0,
    onHand: (level, _args, ctx) => adminCount(ctx, level.onHand),
    reserved: (level, _args, ctx) => adminCount(ctx, level.reserved),
  },
};
