import { SignJWT } from 'jose';
import { PlatformConfig, Viewer } from '@shop/platform';
import { keyRingFor } from '../../subgraphs/accounts/src/keys/key-ring';
import { signAccessToken } from '../../subgraphs/accounts/src/keys/token-signer';

/**
 * Access tokens for tests, signed by the key accounts uses for the same
 * configuration (one per test stack), so a stack's subgraphs accept them.
 */
export function mintAccessToken(config: PlatformConfig, viewer: Viewer): Promise<string> {
  return signAccessToken(viewer, config);
}

/** A token with the stack's key and any times (e.g. already expired). */
export async function mintWithTimes(config: PlatformConfig, viewer: Viewer, times: { issuedAt: number; expiresAt: number }): Promise<string> {
  const { current } = await keyRingFor(config);
  return new SignJWT({ role: viewer.role }).setProtectedHeader({ alg: current.alg, kid: current.kid }).setSubject(viewer.userId)
    .setIssuer(config.jwt.issuer).setAudience(config.jwt.audience).setIssuedAt(times.issuedAt).setExpirationTime(times.expiresAt)
    .sign(current.privateKey);
}

/** For stacks without accounts: their subgraphs verify with the stack key's public half, configured rather than fetched. */
export async function trustStackKey(config: PlatformConfig): Promise<void> {
  config.jwt.publicKeys = JSON.stringify((await keyRingFor(config)).jwks);
}
