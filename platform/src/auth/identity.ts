import { PlatformConfig } from '../config';
import { forbidden, unauthenticated } from '../errors';
import { Role, Viewer, verifyAccessToken } from './tokens';

/**
 * The caller of one request or subscription. A request with a bad or expired
 * token is served as anonymous for public fields; anything that needs a user
 * answers UNAUTHENTICATED saying why.
 */
export interface Identity { viewer: Viewer | null; tokenError: 'expired' | 'invalid' | null }

export const ANONYMOUS: Identity = { viewer: null, tokenError: null };

/** Reads `Bearer <token>` from an Authorization header value. */
export async function identityFromAuthorization(header: string | undefined | null, config: PlatformConfig): Promise<Identity> {
  if (!header) return ANONYMOUS;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!match) return { viewer: null, tokenError: 'invalid' };
  const check = await verifyAccessToken(match[1], config);
  return 'viewer' in check ? { viewer: check.viewer, tokenError: null } : { viewer: null, tokenError: check.error };
}

/** The signed-in viewer, or UNAUTHENTICATED. */
export function requireViewer(identity: Identity): Viewer {
  if (identity.viewer) return identity.viewer;
  if (identity.tokenError === 'expired') throw unauthenticated('Access token expired: refresh the session');
  if (identity.tokenError === 'invalid') throw unauthenticated('Access token invalid');
  throw unauthenticated();
}

/** The signed-in viewer holding one of `roles`, else UNAUTHENTICATED or FORBIDDEN. */
export function requireRole(identity: Identity, ...roles: Role[]): Viewer {
  const viewer = requireViewer(identity);
  if (!roles.includes(viewer.role)) throw forbidden(`Requires role ${roles.join(' or ')}`);
  return viewer;
}

export function isAdmin(identity: Identity): boolean {
  return identity.viewer?.role === 'ADMIN';
}
