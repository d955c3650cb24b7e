import { SubgraphDefinition, loadTypeDefs } from '@shop/platform';
import { AccountsLoaders, createLoaders } from './context';
import { migrations } from './migrations';
import { UserSchema } from './user/user.entity';
import { AddressSchema } from './user/address.entity';
import { RefreshTokenSchema } from './session/refresh-token.entity';
import { userResolvers } from './user/user.resolver';
import { sessionResolvers } from './session/session.resolver';
import { openKeyRing } from './keys/jwks.route';
import { AuthLimits } from './limits/auth-limits';

/**
 * Accounts with rate limits of its own (its Redis connection opens with the
 * process). Tests start a second replica in one process with a second one.
 */
export function createAccounts(): SubgraphDefinition<AccountsLoaders> {
  const limits = new AuthLimits();
  return {
    name: 'accounts',
    typeDefs: loadTypeDefs(__dirname, '../schema.graphql'),
    resolvers: [userResolvers, sessionResolvers(limits)],
    entities: [UserSchema, AddressSchema, RefreshTokenSchema],
    migrations,
    createLoaders,
    publishesEvents: true,
    openResources: async (env) => {
      const keys = await openKeyRing(env);
      const budgets = limits.open(env.config, env.log);
      return { router: keys.router, close: async () => { await budgets.close(); await keys.close(); } };
    },
  };
}

/** Accounts: users, roles, addresses and sessions; issues the access tokens every subgraph verifies. */
export const accounts = createAccounts();
