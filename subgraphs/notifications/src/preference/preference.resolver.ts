import { Resolvers } from '../generated/graphql';
import * as preferences from './preference.service';

export const preferenceResolvers: Resolvers = {
  Query: {
    notificationPreferences: (_root, _args, ctx) => preferences.myPreferences(ctx),
  },
  Mutation: {
    setNotificationPreferences: (_root, { orderEmails }, ctx) => preferences.setPreferences(ctx, orderEmails),
  },
};
