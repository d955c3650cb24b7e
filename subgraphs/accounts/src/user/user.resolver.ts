import { Resolvers } from '../generated/graphql';
import { signGrant } from '../keys/token-signer';
import * as users from './user.service';

export const userResolvers: Resolvers = {
  Query: {
    me: (_root, _args, ctx) => users.me(ctx),
  },
  Mutation: {
    addAddress: (_root, { input }, ctx) => users.addAddress(ctx, input),
    setUserRole: (_root, { userId, role }, ctx) => users.setUserRole(ctx, userId, role),
  },
  User: {
    __resolveReference: (ref, ctx) => ctx.loaders.user.load(ref.id),
    email: (user, _args, ctx) => { users.assertCanReadPrivate(ctx, user); return user.email; },
    role: (user, _args, ctx) => { users.assertCanReadPrivate(ctx, user); return user.role; },
    addresses: (user, _args, ctx) => { users.assertCanReadPrivate(ctx, user); return ctx.loaders.addresses.load(user.id); },
    viewerGrant: (user, _args, ctx) => (ctx.identity.viewer?.userId === user.id ? signGrant(user.id, 'viewer', ctx.config) : null),
  },
};
