import { IncomingMessage } from 'node:http';
import { PlatformConfig, identityFromAuthorization, isAdmin } from '@shop/platform';

/**
 * The client's address: the socket's, or, behind `hops` trusted proxies that
 * each append the address they received from to X-Forwarded-For, the entry
 * that many places from the right (entries further left are the client's
 * word and prove nothing).
 */
export function clientIpOf(req: IncomingMessage, hops: number): string {
  const socket = (req.socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '');
  if (hops <= 0) return socket;
  const header = req.headers['x-forwarded-for'];
  const chain = (Array.isArray(header) ? header.join(',') : header ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const path = [...chain, socket];
  return (path[Math.max(0, path.length - 1 - hops)] ?? socket).replace(/^::ffff:/, '');
}

/**
 * Whether the caller's access token is a valid ADMIN one. The gateway grants
 * nothing with it but what its own settings reserve for admins (introspection,
 * operations outside the safelist); it verifies the token exactly as every
 * subgraph does, with the platform's verification.
 */
export async function isAdminCaller(authorization: string | undefined, config: PlatformConfig): Promise<boolean> {
  if (!authorization) return false;
  return isAdmin(await identityFromAuthorization(authorization, config));
}
