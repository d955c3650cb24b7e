import { GraphQLError } from 'graphql';
import { Dispatcher } from 'undici';
import { PlatformConfig, SubgraphName, subgraphUrl } from '../config';
import { gatewaySecretHeaders } from './trust';
import { outgoingHeaders } from '../observability/outgoing-headers';
import { breakerFor, isBreakerRefusal } from './call-breaker';
import { keepAlivePools } from './keep-alive-pools';

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

/** Every call of this process to a subgraph shares that origin's pool. */
const targetOf = keepAlivePools();

/** A failure of the called subgraph itself (as opposed to a refusal of the caller's input): counts against its breaker. */
class CallFailed extends Error {}

type CallBody<T> = { data?: T; errors?: { message: string; extensions?: { code?: string } }[] } | null;

/**
 * Calls another subgraph directly (not through the gateway, over a pool of
 * keep-alive connections per origin shared by the process) for what a
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
    // A signal of the call's own for the time limit to hang its abort on: cockatiel's default is one signal shared by
    // every call, which many calls at once would give more listeners than Node allows without a warning.
    body = await breakerFor(url, config.subgraphCalls).execute(async ({ signal }) => {
      const { pool, path } = targetOf(url);
      let res: Dispatcher.ResponseData;
      try {
        res = await pool.request({
          path,
          method: 'POST',
          headers: { 'content-type': 'application/json', ...gatewaySecretHeaders(config), ...outgoingHeaders(), ...(authorization ? { authorization } : {}) },
          body: JSON.stringify({ query, variables }),
          signal,
        });
      } catch (e) {
        throw new CallFailed(`${name} subgraph unreachable: ${(e as Error).message}`);
      }
      if (res.statusCode >= 500) {
        await res.body.dump().catch(() => undefined);
        throw new CallFailed(`${name} subgraph answered ${res.statusCode}`);
      }
      return (await res.body.json().catch(() => null)) as CallBody<T>;
    }, new AbortController().signal);
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
