import { IncomingMessage } from 'node:http';

/**
 * Header in which the gateway tells subgraphs the client's address. The
 * gateway sets it on every subgraph fetch from what it saw itself and never
 * passes on a client's own copy; subgraphs believe it because in production
 * only the gateway reaches them.
 */
export const CLIENT_IP_HEADER = 'x-shop-client-ip';

/** The client's address as a subgraph knows it: the gateway's word, else the socket's (a caller reaching it directly). */
export function requestClientIp(req: IncomingMessage): string {
  const told = req.headers[CLIENT_IP_HEADER];
  const value = Array.isArray(told) ? told[0] : told;
  return (value?.trim() || req.socket.remoteAddress || 'unknown').replace(/^::ffff:/, '');
}
