import { GraphQLError } from 'graphql';
import { PlatformConfig, SubgraphName, subgraphUrl } from '../config';
import { gatewaySecretHeaders } from './trust';
import { outgoingHeaders } from '../observability/outgoing-headers';

/** How long one subgraph waits for another before giving up. */
const CALL_TIMEOUT_MS = 5000;

/**
 * Calls another subgraph directly (not through the gateway) for what a
 * command must know at once, such as orders reading a cart at checkout.
 * Such fields are `@inaccessible`: the gateway never exposes them. The
 * caller's Authorization is passed on, so the owner checks of the called
 * subgraph apply unchanged, and so do the request id and trace context.
 * A failure of the call is an internal error.
 */
export async function callSubgraph<T>(
  config: PlatformConfig, name: SubgraphName, query: string, variables: Record<string, unknown>, authorization?: string | null,
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(subgraphUrl(config, name), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...gatewaySecretHeaders(config), ...outgoingHeaders(), ...(authorization ? { authorization } : {}) },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
    });
  } catch (e) {
    throw new Error(`${name} subgraph unreachable: ${(e as Error).message}`);
  }
  const body = (await res.json().catch(() => null)) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] } | null;
  const error = body?.errors?.[0];
  if (error) {
    const code = error.extensions?.code;
    // Client errors of the called subgraph (FORBIDDEN, BAD_USER_INPUT...) are the caller's client errors too.
    if (code && code !== 'INTERNAL_SERVER_ERROR') throw new GraphQLError(error.message, { extensions: { code } });
    throw new Error(`${name} subgraph failed: ${error.message}`);
  }
  if (!body?.data) throw new Error(`${name} subgraph answered ${res.status} without data`);
  return body.data;
}
