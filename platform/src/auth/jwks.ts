import { JWTVerifyGetKey, createLocalJWKSet, createRemoteJWKSet, errors } from 'jose';
import { PlatformConfig, subgraphUrl } from '../config';

/** The asymmetric algorithms an access token or grant may be signed with; anything else (HS*, none) is refused. */
export const TOKEN_ALGORITHMS = ['ES256', 'EdDSA'];

/** Path at which accounts publishes the public keys of its signing keys. */
export const JWKS_PATH = '/.well-known/jwks.json';

/** After a failed fetch with no key known yet, requests answer at once (UNAUTHENTICATED) for this long before the next try. */
const RETRY_AFTER_FAILURE_MS = 1000;
/** How long one fetch of the JWKS may take. */
const FETCH_TIMEOUT_MS = 2000;
/** Known keys are refreshed in the background this often, so a key accounts stopped publishing stops being trusted. */
const REFRESH_MS = 10 * 60_000;

/** Where this process learns accounts' public keys. */
export function jwksUrlOf(config: PlatformConfig): string {
  return config.jwt.jwksUrl ?? new URL(JWKS_PATH, subgraphUrl(config, 'accounts')).href;
}

interface RemoteKeys { getKey: JWTVerifyGetKey; loaded: boolean; failedAt: number; refreshedAt: number }

/** One cache per JWKS URL for the whole process: every subgraph and request shares it. */
const remotes = new Map<string, RemoteKeys>();
const locals = new Map<string, JWTVerifyGetKey>();

function remoteKeys(url: string, cooldownMs: number): JWTVerifyGetKey {
  let remote = remotes.get(url);
  if (!remote) {
    // Never stale by age (a stale set would block a request on the network and fail it while accounts is away):
    // jose refetches on an unknown kid, and a background refresh picks up removed keys.
    const set = createRemoteJWKSet(new URL(url), { cacheMaxAge: Infinity, cooldownDuration: cooldownMs, timeoutDuration: FETCH_TIMEOUT_MS });
    const entry: RemoteKeys = {
      loaded: false,
      failedAt: 0,
      refreshedAt: Date.now(),
      getKey: async (header, token) => {
        if (!entry.loaded && Date.now() - entry.failedAt < RETRY_AFTER_FAILURE_MS) throw new errors.JWKSNoMatchingKey();
        if (entry.loaded && Date.now() - entry.refreshedAt > REFRESH_MS && !set.reloading) {
          entry.refreshedAt = Date.now();
          set.reload().catch(() => undefined);
        }
        try {
          return await set(header, token);
        } catch (e) {
          if (!entry.loaded) entry.failedAt = Date.now();
          throw e;
        } finally {
          entry.loaded ||= set.jwks() !== undefined;
        }
      },
    };
    remote = entry;
    remotes.set(url, remote);
  }
  return remote.getKey;
}

/**
 * The public keys tokens are verified with: the configured JWK set, else
 * accounts' JWKS, fetched on first use and cached (refetched on an unknown
 * `kid`, so a key rotation needs no restart). No network call happens while
 * a token's key is known; while none is (accounts not up yet) tokens are
 * simply invalid.
 */
export function verificationKeys(config: PlatformConfig): JWTVerifyGetKey {
  const configured = config.jwt.publicKeys;
  if (configured) {
    let local = locals.get(configured);
    if (!local) {
      local = createLocalJWKSet(JSON.parse(configured));
      locals.set(configured, local);
    }
    return local;
  }
  return remoteKeys(jwksUrlOf(config), config.jwt.jwksCooldownMs);
}
