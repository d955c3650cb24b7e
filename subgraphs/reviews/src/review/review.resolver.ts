import { DateTimeScalar } from '@shop/platform';
import { Resolvers } from '../generated/graphql';
import * as reviews from './review.service';

export const reviewResolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Mutation: {
    addReview: (_root, args, ctx) => reviews.addReview(ctx, args),
  },
  Review: {
    author: (review) => ({ id: review.authorId }),
  },
};
