import { SignJWT, jwtVerify, errors } from 'jose';
import { PlatformConfig } from '../config';

export type Role = 'CUSTOMER' | 'ADMIN' | 'PARTNER';
export const ROLES: readonly Role[] = ['CUSTOMER', 'ADMIN', 'PARTNER'];

/** Who is calling, as proven by a verified access token. */
export interface Viewer { userId: string; role: Role }

function key(config: PlatformConfig): Uint8Array {
  return new TextEncoder().encode(config.jwt.secret);
}

/** Issues a short-lived access token (HS256, signed with the shared JWT_SECRET). */
export async function signAccessToken(viewer: Viewer, config: PlatformConfig): Promise<string> {
  return new SignJWT({ role: viewer.role })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(viewer.userId)
    .setIssuer(config.jwt.issuer)
    .setAudience(config.jwt.audience)
    .setIssuedAt()
    .setExpirationTime(`${config.jwt.accessTtlSeconds}s`)
    .sign(key(config));
}

export type TokenCheck = { viewer: Viewer } | { error: 'expired' | 'invalid' };

/** Verifies an access token: signature, issuer, audience, expiry and role. */
export async function verifyAccessToken(token: string, config: PlatformConfig): Promise<TokenCheck> {
  try {
    const { payload } = await jwtVerify(token, key(config), {
      issuer: config.jwt.issuer, audience: config.jwt.audience, algorithms: ['HS256'],
    });
    const role = payload.role as Role;
    if (typeof payload.sub !== 'string' || !ROLES.includes(role)) return { error: 'invalid' };
    return { viewer: { userId: payload.sub, role } };
  } catch (e) {
    return { error: e instanceof errors.JWTExpired ? 'expired' : 'invalid' };
  }
}

/** How long a grant vouches for its subject: the span of the one request it is issued in. */
const GRANT_TTL_SECONDS = 60;

function grantAudience(config: PlatformConfig, purpose: string): string {
  return `${config.jwt.audience}:grant:${purpose}`;
}

/**
 * A short-lived token by which the subgraph that knows who the request acts
 * for (accounts, right after a sign-in) vouches for it to another subgraph
 * resolving the same request (an `@inaccessible` field read with `@requires`).
 * Its audience names the purpose, so it is never accepted as an access token.
 */
export async function signGrant(userId: string, purpose: string, config: PlatformConfig): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId)
    .setIssuer(config.jwt.issuer)
    .setAudience(grantAudience(config, purpose))
    .setIssuedAt()
    .setExpirationTime(`${GRANT_TTL_SECONDS}s`)
    .sign(key(config));
}

/** True when `grant` is a live grant for `purpose` whose subject is `userId`. */
export async function verifyGrant(grant: unknown, userId: string, purpose: string, config: PlatformConfig): Promise<boolean> {
  if (typeof grant !== 'string' || grant.length > 2000) return false;
  try {
    const { payload } = await jwtVerify(grant, key(config), {
      issuer: config.jwt.issuer, audience: grantAudience(config, purpose), algorithms: ['HS256'],
    });
    return payload.sub === userId;
  } catch {
    return false;
  }
}
