import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { EntityManager, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { UserError, isId, newId, recordEvent, userError, validate } from '@shop/platform';
import { signAccessToken } from '../keys/token-signer';
import { AccountsContext } from '../context';
import { User } from '../user/user.entity';
import { emailSchema, registerSchema } from '../user/user.validation';
import { RefreshToken } from './refresh-token.entity';
import { hashPassword, verifyPassword } from './password';
import { mergeGuestCartNow } from './guest-cart.client';

export interface AuthResult {
  accessToken: string | null;
  refreshToken: string | null;
  user: User | null;
  userErrors: UserError[];
}

const failed = (...userErrors: UserError[]): AuthResult => ({ accessToken: null, refreshToken: null, user: null, userErrors });

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** Issues an access token and the next refresh token of a session family. */
async function issue(ctx: AccountsContext, em: EntityManager, user: User, familyId = newId()): Promise<AuthResult> {
  const secret = randomBytes(32).toString('base64url');
  const token = em.create(RefreshToken, {
    id: newId(), familyId, userId: user.id, tokenHash: sha256(secret),
    expiresAt: new Date(Date.now() + ctx.config.jwt.refreshTtlSeconds * 1000), usedAt: null, revokedAt: null, createdAt: new Date(),
  });
  em.persist(token);
  const viewer = { userId: user.id, role: user.role };
  const accessToken = await signAccessToken(viewer, ctx.config);
  // The rest of this request reads the payload as the user who just signed in.
  ctx.identity = { viewer, tokenError: null };
  return { accessToken, refreshToken: `${token.id}.${secret}`, user, userErrors: [] };
}

export async function register(ctx: AccountsContext, input: unknown): Promise<AuthResult> {
  const checked = validate(registerSchema, input);
  if (!checked.ok) return failed(...checked.userErrors);
  const { email, password, name } = checked.data;
  if (await ctx.em.count(User, { email })) {
    return failed(userError('EMAIL_TAKEN', 'An account with this email already exists', ['input', 'email']));
  }
  const passwordHash = await hashPassword(password);
  try {
    const result = await ctx.em.transactional(async (em) => {
      const user = em.create(User, { id: newId(), email, name, role: 'CUSTOMER', passwordHash, createdAt: new Date() });
      em.persist(user);
      recordEvent(em, 'accounts.user.registered', { userId: user.id, email, name });
      return issue(ctx, em, user);
    });
    ctx.eventsRecorded();
    return result;
  } catch (e) {
    if (e instanceof UniqueConstraintViolationException) {
      return failed(userError('EMAIL_TAKEN', 'An account with this email already exists', ['input', 'email']));
    }
    throw e;
  }
}

export async function login(ctx: AccountsContext, input: { email: string; password: string; guestCartId?: string | null }): Promise<AuthResult> {
  const invalid = userError('INVALID_CREDENTIALS', 'Email or password is incorrect');
  const email = emailSchema.safeParse(input.email);
  const user = email.success && input.password.length <= 128 ? await ctx.em.findOne(User, { email: email.data }) : null;
  if (!(await verifyPassword(user?.passwordHash ?? null, input.password.slice(0, 128))) || !user) return failed(invalid);
  if (input.guestCartId != null && !isId(input.guestCartId)) {
    return failed(userError('INVALID_GUEST_CART', 'guestCartId is not a valid cart id', ['input', 'guestCartId']));
  }
  const result = await ctx.em.transactional(async (em) => {
    recordEvent(em, 'accounts.user.logged-in', { userId: user.id, guestCartId: input.guestCartId ?? null });
    return issue(ctx, em, user);
  });
  ctx.eventsRecorded();
  if (input.guestCartId != null && result.accessToken) await mergeGuestCartNow(ctx, result.accessToken, input.guestCartId);
  return result;
}

/** Parses `<id>.<secret>` and finds the token whose hash matches, or null. */
async function findToken(em: EntityManager, presented: string): Promise<RefreshToken | null> {
  const [id, secret, extra] = presented.split('.');
  if (extra !== undefined || !isId(id) || !secret || secret.length > 100) return null;
  const token = await em.findOne(RefreshToken, { id });
  if (!token) return null;
  const a = Buffer.from(token.tokenHash, 'hex');
  const b = Buffer.from(sha256(secret), 'hex');
  return a.length === b.length && timingSafeEqual(a, b) ? token : null;
}

async function revokeFamily(em: EntityManager, familyId: string): Promise<void> {
  await em.nativeUpdate(RefreshToken, { familyId, revokedAt: null }, { revokedAt: new Date() });
}

export async function refreshSession(ctx: AccountsContext, presented: string): Promise<AuthResult> {
  const invalid = userError('INVALID_REFRESH_TOKEN', 'The refresh token is not valid; sign in again', ['refreshToken']);
  const outcome = await ctx.em.transactional(async (em) => {
    const token = await findToken(em, presented);
    if (!token || token.revokedAt) return failed(invalid);
    if (token.expiresAt.getTime() <= Date.now()) return failed(userError('REFRESH_TOKEN_EXPIRED', 'The session has expired; sign in again', ['refreshToken']));
    // Claiming the token is one conditional update, so two concurrent refreshes cannot both win.
    const claimed = await em.nativeUpdate(RefreshToken, { id: token.id, usedAt: null, revokedAt: null }, { usedAt: new Date() });
    if (claimed === 0) {
      await revokeFamily(em, token.familyId);
      return failed(userError('REFRESH_TOKEN_REUSED', 'This refresh token was already used; the session has been ended for safety', ['refreshToken']));
    }
    const user = await em.findOne(User, { id: token.userId });
    if (!user) return failed(invalid);
    return issue(ctx, em, user, token.familyId);
  });
  return outcome;
}

export async function logout(ctx: AccountsContext, presented: string): Promise<boolean> {
  return ctx.em.transactional(async (em) => {
    const token = await findToken(em, presented);
    if (!token || token.revokedAt) return false;
    await revokeFamily(em, token.familyId);
    return true;
  });
}
