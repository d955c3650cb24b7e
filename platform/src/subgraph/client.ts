import { GraphQLError } from 'graphql';
import { PlatformConfig, SubgraphName, subgraphUrl } from '../config';
import { gatewaySecretHeaders } from './trust';
import { outgoingHeaders } from '../observability/outgoing-headers';
import { breakerFor, isBreakerRefusal } from './call-breaker';

/**
 * The called subgraph did not answer in time, could not be reached, failed
 * with a 5xx, or has failed so often lately that it is not even asked (its
 * circuit is open). Callers turn it into a userError for their client.
 */
export class SubgraphUnavailableError extends Error {
  readonly code = 'SERVICE_UNAVAILABLE';

  constructor(readonly subgraph: SubgraphName, cause?: unknown) {
    super(`The ${subgraph} service is unavailable, try again shortly`, { cause });
  }
}

/** A failure of the called subgraph itself (as opposed to a refusal of the caller's input): counts against its breaker. */
class CallFailed extends Error {}

type CallBody<T> = { data?: T; errors?: { message: string; extensions?: { code?: string } }[] } | null;

/**
 * Calls another subgraph directly (not through the gateway) for what a
 * command must know at once, such as orders reading a cart at checkout.
 * Such fields are `@inaccessible`: the gateway never exposes them. The
 * caller's Authorization is passed on, so the owner checks of the called
 * subgraph apply unchanged, and so do the request id and trace context.
 * Each call has a time limit, and each target a circuit breaker
 * (`config.subgraphCalls`): an unavailable subgraph throws
 * SubgraphUnavailableError at once instead of making every caller wait.
 * A client error of the called subgraph (FORBIDDEN...) is thrown as that
 * GraphQLError; any other failure of it is an internal error.
 */
export async function callSubgraph<T>(
  config: PlatformConfig, name: SubgraphName, query: string, variables: Record<string, unknown>, authorization?: string | null,
): Promise<T> {
  const url = subgraphUrl(config, name);
  let body: CallBody<T>;
  try {
    body = await breakerFor(url, config.subgraphCalls).execute(async ({ signal }) => {
      let res: Response;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...gatewaySecretHeaders(config), ...outgoingHeaders(), ...(authorization ? { authorization } : {}) },
          body: JSON.stringify({ query, variables }),
          signal,
        });
      } catch (e) {
        throw new CallFailed(`${name} subgraph unreachable: ${(e as Error).message}`);
      }
      if (res.status >= 500) throw new CallFailed(`${name} subgraph answered ${res.status}`);
      return (await res.json().catch(() => null)) as CallBody<T>;
    });
  } catch (e) {
    if (e instanceof CallFailed || isBreakerRefusal(e)) throw new SubgraphUnavailableError(name, e);
    throw e;
  }
  const error = body?.errors?.[0];
  if (error) {
    const code = error.extensions?.code;
    // Client errors of the called subgraph (FORBIDDEN, BAD_USER_INPUT...) are the caller's client errors too.
    if (code && code !== 'INTERNAL_SERVER_ERROR') throw new GraphQLError(error.message, { extensions: { code } });
    throw new Error(`${name} subgraph failed: ${error.message}`);
  }
  if (!body?.data) throw new Error(`${name} subgraph answered without data`);
  return body.data;
}
