import { readFileSync } from 'node:fs';
import { JWK, KeyLike, calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK } from 'jose';
import { PlatformConfig } from '@shop/platform';

/** A private key accounts signs with, and the public half it publishes. */
export interface SigningKey { kid: string; alg: 'ES256' | 'EdDSA'; privateKey: KeyLike | Uint8Array; publicJwk: JWK }

/**
 * The keys of accounts: the first one signs; every one is published in the
 * JWKS, so tokens signed before a rotation keep verifying until they expire.
 */
export interface KeyRing { current: SigningKey; keys: SigningKey[]; jwks: { keys: JWK[] } }

function algOf(jwk: JWK): SigningKey['alg'] {
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ES256';
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return 'EdDSA';
  throw new Error(`Signing keys must be EC P-256 (ES256) or OKP Ed25519 (EdDSA), got ${jwk.kty} ${jwk.crv ?? ''}`);
}

async function signingKey(jwk: JWK): Promise<SigningKey> {
  if (!jwk.d) throw new Error('A signing key must be a private JWK (with "d")');
  const alg = algOf(jwk);
  if (jwk.alg && jwk.alg !== alg) throw new Error(`Signing key ${jwk.kid ?? ''} declares alg ${jwk.alg}, expected ${alg}`);
  const { d: _private, key_ops: _ops, ...publicPart } = jwk;
  const kid = jwk.kid ?? await calculateJwkThumbprint(publicPart);
  return { kid, alg, privateKey: await importJWK({ ...jwk, alg }, alg), publicJwk: { ...publicPart, kid, alg, use: 'sig' } };
}

function configuredKeys(config: PlatformConfig): JWK[] | null {
  const text = config.jwt.privateKeys ?? (config.jwt.privateKeysFile ? readFileSync(config.jwt.privateKeysFile, 'utf8') : null);
  if (!text) return null;
  const parsed = JSON.parse(text) as { keys?: JWK[] } | JWK[];
  const keys = Array.isArray(parsed) ? parsed : parsed.keys;
  if (!Array.isArray(keys) || keys.length === 0) throw new Error('JWT_PRIVATE_KEYS must be a JWK set with at least one private key');
  return keys;
}

/** A fresh ES256 key pair as a private JWK (development, tests, and `npm run keys:generate` for deployments). */
export async function generateSigningJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: await calculateJwkThumbprint({ kty: jwk.kty!, crv: jwk.crv!, x: jwk.x!, y: jwk.y! }), alg: 'ES256' };
}

async function loadKeyRing(config: PlatformConfig): Promise<KeyRing> {
  let jwks = configuredKeys(config);
  if (!jwks) {
    if (config.env === 'production') {
      throw new Error('JWT_PRIVATE_KEYS (or JWT_PRIVATE_KEYS_FILE) must be set in production: accounts signs every access token');
    }
    // Development and tests: a key of this process, learnt by the other subgraphs from the JWKS.
    jwks = [await generateSigningJwk()];
  }
  const keys = await Promise.all(jwks.map(signingKey));
  if (new Set(keys.map((k) => k.kid)).size !== keys.length) throw new Error('Two signing keys share one kid');
  return { current: keys[0], keys, jwks: { keys: keys.map((k) => k.publicJwk) } };
}

const rings = new WeakMap<PlatformConfig, Promise<KeyRing>>();

/**
 * The key ring of one configuration, loaded once. Without configured keys
 * outside production it is generated, the same for every use of that
 * configuration (so a test stack's tokens and its accounts agree).
 */
export function keyRingFor(config: PlatformConfig): Promise<KeyRing> {
  let ring = rings.get(config);
  if (!ring) {
    ring = loadKeyRing(config);
    ring.catch(() => rings.delete(config));
    rings.set(config, ring);
  }
  return ring;
}
