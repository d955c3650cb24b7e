import { Resolvers } from '../generated/graphql';
import * as sessions from './session.service';

export const sessionResolvers: Resolvers = {
  Mutation: {
    register: (_root, { input }, ctx) => sessions.register(ctx, input),
    login: (_root, { input }, ctx) => sessions.login(ctx, input),
    refreshSession: (_root, { refreshToken }, ctx) => sessions.refreshSession(ctx, refreshToken),
    logout: (_root, { refreshToken }, ctx) => sessions.logout(ctx, refreshToken),
  },
};
