import { Resolvers } from '../generated/graphql';
import { available } from './stock-level.entity';
import * as stock from './stock.service';

export const stockResolvers: Resolvers = {
  Mutation: {
    setStock: (_root, { productId, onHand }, ctx) => stock.setStock(ctx, productId, onHand),
  },
  StockLevel: {
    available: (level) => available(level),
    inStock: (level) => available(level) > 0,
    onHand: (level, _args, ctx) => stock.adminCount(ctx, level.onHand),
    reserved: (level, _args, ctx) => stock.adminCount(ctx, level.reserved),
  },
};
