import { SignJWT } from 'jose';
import { GRANT_TTL_SECONDS, PlatformConfig, Viewer, grantAudience } from '@shop/platform';
import { keyRingFor } from './key-ring';

async function signer(config: PlatformConfig, claims: Record<string, unknown>) {
  const { current } = await keyRingFor(config);
  return {
    key: current.privateKey,
    jwt: new SignJWT(claims).setProtectedHeader({ alg: current.alg, kid: current.kid, typ: 'JWT' }).setIssuer(config.jwt.issuer).setIssuedAt(),
  };
}

/** Issues a short-lived access token, signed with accounts' current private key; every subgraph verifies it with the public one. */
export async function signAccessToken(viewer: Viewer, config: PlatformConfig): Promise<string> {
  const { jwt, key } = await signer(config, { role: viewer.role });
  return jwt.setSubject(viewer.userId).setAudience(config.jwt.audience).setExpirationTime(`${config.jwt.accessTtlSeconds}s`).sign(key);
}

/** Issues a grant for `purpose` (see `grantAudience` in the platform), verified by the subgraph it is meant for. */
export async function signGrant(userId: string, purpose: string, config: PlatformConfig): Promise<string> {
  const { jwt, key } = await signer(config, {});
  return jwt.setSubject(userId).setAudience(grantAudience(config, purpose)).setExpirationTime(`${GRANT_TTL_SECONDS}s`).sign(key);
}
