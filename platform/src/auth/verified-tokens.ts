import { PlatformConfig } from '../config';
import type { Viewer } from './tokens';

/** How many verified tokens a process remembers at most (the oldest is forgotten first). */
export const VERIFIED_TOKENS_MAX = 10_000;
/**
 * How long one verification is reused at most. The gateway forwards the same
 * token to every subgraph a request reaches, request after request; a key
 * accounts stops publishing stops vouching for tokens at most this long
 * after the process last fetched the key set.
 */
export const VERIFIED_TOKEN_REUSE_MS = 60_000;
/** Longer tokens are verified every time, never remembered. */
const MAX_REMEMBERED_LENGTH = 4096;

interface Remembered { viewer: Viewer; until: number }

/** One memory per token settings (issuer, audience, keys): a token valid under some settings says nothing under others. */
interface Memory { issuer: string; audience: string; keys: string | null; jwksUrl: string | null; tokens: Map<string, Remembered> }

const memories = new WeakMap<PlatformConfig['jwt'], Memory>();

function memoryOf(jwt: PlatformConfig['jwt']): Memory {
  let memory = memories.get(jwt);
  if (!memory || memory.issuer !== jwt.issuer || memory.audience !== jwt.audience || memory.keys !== jwt.publicKeys || memory.jwksUrl !== jwt.jwksUrl) {
    memory = { issuer: jwt.issuer, audience: jwt.audience, keys: jwt.publicKeys, jwksUrl: jwt.jwksUrl, tokens: new Map() };
    memories.set(jwt, memory);
  }
  return memory;
}

/** The viewer a valid token was verified to be, if it was verified lately and has not expired since. */
export function rememberedViewer(token: string, config: PlatformConfig, now = Date.now()): Viewer | null {
  const tokens = memoryOf(config.jwt).tokens;
  const remembered = tokens.get(token);
  if (!remembered) return null;
  if (now < remembered.until) return remembered.viewer;
  tokens.delete(token);
  return null;
}

/**
 * Remembers that `token` verified as `viewer`, until the earlier of its
 * expiry (`exp`, in seconds, as the token says) and the reuse bound. Only
 * valid tokens are remembered: a refused one is verified again every time.
 */
export function rememberViewer(token: string, viewer: Viewer, exp: number | undefined, config: PlatformConfig, now = Date.now()): void {
  if (token.length > MAX_REMEMBERED_LENGTH) return;
  const until = Math.min(now + VERIFIED_TOKEN_REUSE_MS, typeof exp === 'number' ? exp * 1000 : Infinity);
  if (!(until > now)) return;
  const tokens = memoryOf(config.jwt).tokens;
  tokens.delete(token);
  if (tokens.size >= VERIFIED_TOKENS_MAX) tokens.delete(tokens.keys().next().value as string);
  tokens.set(token, { viewer: Object.freeze({ ...viewer }), until });
}
