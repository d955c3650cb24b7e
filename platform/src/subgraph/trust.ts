import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { PlatformConfig } from '../config';

/**
 * The header by which the gateway (and a subgraph calling another) proves it
 * is part of the shop: subgraphs serve GraphQL to nobody else once
 * SUBGRAPH_SHARED_SECRET is set. It adds to the user's JWT, never replaces it.
 */
export const GATEWAY_SECRET_HEADER = 'x-gateway-secret';

export const GATEWAY_SECRET_REFUSAL = `Subgraphs answer only the gateway: the ${GATEWAY_SECRET_HEADER} header is missing or wrong`;

/** The headers to send to a subgraph (none when no secret is configured). */
export function gatewaySecretHeaders(config: PlatformConfig): Record<string, string> {
  return config.subgraphSharedSecret ? { [GATEWAY_SECRET_HEADER]: config.subgraphSharedSecret } : {};
}

/** Production refuses to start a gateway or subgraph without the shared secret. */
export function assertSharedSecretConfigured(config: PlatformConfig): void {
  if (config.env === 'production' && !config.subgraphSharedSecret) {
    throw new Error('SUBGRAPH_SHARED_SECRET must be set in production: subgraphs answer only the gateway');
  }
}

const digest = (value: string) => createHash('sha256').update(value).digest();

// The configured secret's digest, computed once rather than on every request.
let expectedDigest: { secret: string; digest: Buffer } | null = null;
function digestOfSecret(secret: string): Buffer {
  if (expectedDigest?.secret !== secret) expectedDigest = { secret, digest: digest(secret) };
  return expectedDigest.digest;
}

/** Whether a request carries the shared secret (always, when none is configured). Constant-time in the value. */
export function fromTrustedCaller(config: PlatformConfig, headers: IncomingMessage['headers']): boolean {
  const expected = config.subgraphSharedSecret;
  if (!expected) return true;
  const given = headers[GATEWAY_SECRET_HEADER];
  if (typeof given !== 'string') return false;
  // Equal-length digests: timingSafeEqual leaks neither the value nor its length.
  return timingSafeEqual(digest(given), digestOfSecret(expected));
}

/** The answer (403) to a /graphql request without the shared secret. */
export const SHARED_SECRET_REFUSAL_ANSWER = { errors: [{ message: GATEWAY_SECRET_REFUSAL, extensions: { code: 'FORBIDDEN' } }] };

/** Refuses /graphql requests without the shared secret with 403 and a GraphQL error saying why. */
export function requireSharedSecret(config: PlatformConfig): RequestHandler {
  return (req, res, next) => {
    if (fromTrustedCaller(config, req.headers)) { next(); return; }
    res.status(403).json(SHARED_SECRET_REFUSAL_ANSWER);
  };
}
