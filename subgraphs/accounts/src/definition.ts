import { SubgraphDefinition, loadTypeDefs } from '@shop/platform';
import { AccountsLoaders, createLoaders } from './context';
import { migrations } from './migrations';
import { UserSchema } from './user/user.entity';
import { AddressSchema } from './user/address.entity';
import { RefreshTokenSchema } from './session/refresh-token.entity';
import { userResolvers } from './user/user.resolver';
import { sessionResolvers } from './session/session.resolver';
import { openKeyRing } from './keys/jwks.route';

/** Accounts: users, roles, addresses and sessions; issues the access tokens every subgraph verifies. */
export const accounts: SubgraphDefinition<AccountsLoaders> = {
  name: 'accounts',
  typeDefs: loadTypeDefs(__dirname, '../schema.graphql'),
  resolvers: [userResolvers, sessionResolvers],
  entities: [UserSchema, AddressSchema, RefreshTokenSchema],
  migrations,
  createLoaders,
  publishesEvents: true,
  openResources: openKeyRing,
};
