import { EventEnvelope, badInput } from '@shop/platform';
import { Resolvers } from '../generated/graphql';

/** The most products one stockChanged subscription may name. */
const MAX_PRODUCT_IDS = 100;

export const stockChangedResolvers: Resolvers = {
  Subscription: {
    stockChanged: {
      subscribe: (_root, { productIds }, ctx) => {
        if (productIds && productIds.length > MAX_PRODUCT_IDS) throw badInput(`productIds may name at most ${MAX_PRODUCT_IDS} products`, 'productIds');
        const wanted = productIds ? new Set(productIds) : null;
        return ctx.live('inventory.stock.changed', wanted ? (e) => wanted.has(e.data.productId) : undefined) as any;
      },
      resolve: (event: EventEnvelope<'inventory.stock.changed'>) => ({ id: event.data.productId }),
    },
  },
};
