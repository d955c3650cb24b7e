import { jwtVerify, errors } from 'jose';
import { PlatformConfig } from '../config';
import { TOKEN_ALGORITHMS, verificationKeys } from './jwks';
import { rememberViewer, rememberedViewer } from './verified-tokens';

export type Role = 'CUSTOMER' | 'ADMIN' | 'PARTNER';
export const ROLES: readonly Role[] = ['CUSTOMER', 'ADMIN', 'PARTNER'];

/** Who is calling, as proven by a verified access token. */
export interface Viewer { userId: string; role: Role }

export type TokenCheck = { viewer: Viewer } | { error: 'expired' | 'invalid' };

/**
 * Verifies an access token: signature (by one of accounts' public keys, an
 * asymmetric algorithm only), issuer, audience, expiry and role. Only
 * accounts holds the private keys; nothing here can sign. A valid token is
 * remembered (`verified-tokens`) until its expiry, a minute at most.
 */
export async function verifyAccessToken(token: string, config: PlatformConfig): Promise<TokenCheck> {
  // The gateway forwards the same token to every subgraph of every request: a token verified lately is not verified again.
  const remembered = rememberedViewer(token, config);
  if (remembered) return { viewer: remembered };
  try {
    const { payload } = await jwtVerify(token, verificationKeys(config), {
      issuer: config.jwt.issuer, audience: config.jwt.audience, algorithms: TOKEN_ALGORITHMS,
    });
    const role = payload.role as Role;
    if (typeof payload.sub !== 'string' || !ROLES.includes(role)) return { error: 'invalid' };
    const viewer: Viewer = { userId: payload.sub, role };
    rememberViewer(token, viewer, payload.exp, config);
    return { viewer };
  } catch (e) {
    return { error: e instanceof errors.JWTExpired ? 'expired' : 'invalid' };
  }
}

/** How long a grant vouches for its subject: the span of the one request it is issued in. */
export const GRANT_TTL_SECONDS = 60;

/**
 * The audience of a grant: a short-lived token by which accounts (right
 * after a sign-in) vouches for who a request acts for to another subgraph
 * resolving the same request (an `@inaccessible` field read with
 * `@requires`). It names the purpose, so a grant is never accepted as an
 * access token. Accounts signs grants with its access-token keys.
 */
export function grantAudience(config: PlatformConfig, purpose: string): string {
  return `${config.jwt.audience}:grant:${purpose}`;
}

/** True when `grant` is a live grant for `purpose` whose subject is `userId`. */
export async function verifyGrant(grant: unknown, userId: string, purpose: string, config: PlatformConfig): Promise<boolean> {
  if (typeof grant !== 'string' || grant.length > 2000) return false;
  try {
    const { payload } = await jwtVerify(grant, verificationKeys(config), {
      issuer: config.jwt.issuer, audience: grantAudience(config, purpose), algorithms: TOKEN_ALGORITHMS,
    });
    return payload.sub === userId;
  } catch {
    return false;
  }
}
