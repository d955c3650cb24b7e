import { Resolvers } from '../generated/graphql';
import { AuthLimits } from '../limits/auth-limits';
import * as sessions from './session.service';

/** The session mutations, each taking from its rate limit before any other work. */
export function sessionResolvers(limits: AuthLimits): Resolvers {
  return {
    Mutation: {
      register: async (_root, { input }, ctx) => {
        await limits.register(ctx);
        return sessions.register(ctx, input);
      },
      login: async (_root, { input }, ctx) => {
        await limits.login(ctx, input.email);
        return sessions.login(ctx, input);
      },
      refreshSession: async (_root, { refreshToken }, ctx) => {
        await limits.refresh(ctx);
        return sessions.refreshSession(ctx, refreshToken);
      },
      logout: (_root, { refreshToken }, ctx) => sessions.logout(ctx, refreshToken),
    },
  };
}
