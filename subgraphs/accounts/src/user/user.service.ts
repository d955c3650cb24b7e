import { GraphQLError } from 'graphql';
import { Role, badInput, forbidden, isId, newId, requireRole, requireViewer, validate } from '@shop/platform';
import { AccountsContext } from '../context';
import { Address } from './address.entity';
import { User } from './user.entity';
import { addressSchema } from './user.validation';

/** The signed-in user, or null when anonymous (an expired token answers UNAUTHENTICATED). */
export async function me(ctx: AccountsContext): Promise<User | null> {
  if (!ctx.identity.viewer && !ctx.identity.tokenError) return null;
  const viewer = requireViewer(ctx.identity);
  return ctx.loaders.user.load(viewer.userId);
}

/** Private fields of a user are for that user and for ADMINs. */
export function assertCanReadPrivate(ctx: AccountsContext, user: User): void {
  const viewer = requireViewer(ctx.identity);
  if (viewer.userId !== user.id && viewer.role !== 'ADMIN') throw forbidden('Only the user and ADMINs may read this');
}

export async function addAddress(ctx: AccountsContext, input: unknown): Promise<User> {
  const viewer = requireViewer(ctx.identity);
  const checked = validate(addressSchema, input);
  if (!checked.ok) {
    const [first] = checked.userErrors;
    throw badInput(`${first.field?.join('.')}: ${first.message}`, first.field?.join('.'));
  }
  const user = await ctx.em.findOne(User, { id: viewer.userId });
  if (!user) throw new GraphQLError('Your account no longer exists', { extensions: { code: 'NOT_FOUND' } });
  ctx.em.persist(ctx.em.create(Address, { id: newId(), userId: user.id, ...checked.data, line2: checked.data.line2 ?? null, createdAt: new Date() }));
  await ctx.em.flush();
  return user;
}

export async function setUserRole(ctx: AccountsContext, userId: string, role: Role): Promise<User> {
  requireRole(ctx.identity, 'ADMIN');
  const user = isId(userId) ? await ctx.em.findOne(User, { id: userId }) : null;
  if (!user) throw new GraphQLError('No user has this id', { extensions: { code: 'NOT_FOUND' } });
  user.role = role;
  await ctx.em.flush();
  return user;
}
