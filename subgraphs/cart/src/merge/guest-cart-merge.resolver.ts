import { requireViewer } from '@shop/platform';
import { Resolvers } from '../generated/graphql';
import { refreshView } from '../context';
import { mergeGuestCart } from './guest-cart-merge';

export const guestCartMergeResolvers: Resolvers = {
  Mutation: {
    mergeGuestCart: async (_root, { guestCartId }, ctx) => {
      const viewer = requireViewer(ctx.identity);
      const merged = await ctx.em.transactional((em) => mergeGuestCart(em, viewer.userId, guestCartId));
      refreshView(ctx);
      return merged;
    },
  },
};
