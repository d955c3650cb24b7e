import { DateTimeScalar } from '@shop/platform';
import { Resolvers } from '../generated/graphql';
import { listNotifications } from './notification.service';

export const notificationResolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query: {
    notifications: (_root, { first }, ctx) => listNotifications(ctx, first),
  },
};
