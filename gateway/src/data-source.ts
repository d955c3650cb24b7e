import { RemoteGraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { CLIENT_ERROR_CODES, CLIENT_IP_HEADER } from '@shop/platform';

/** What the gateway keeps of each request: the caller's credentials, passed on untouched, and address. */
export interface GatewayContext { authorization?: string; clientIp?: string }

/**
 * Node's fetch keeps one pool of keep-alive connections per subgraph origin
 * for the whole process, so requests reuse sockets instead of opening new ones.
 */
const keepAliveFetch = globalThis.fetch as any;

/**
 * Codes a subgraph may answer about the client's input. Validation and parse
 * failures are about the document the gateway planned, so they stay internal.
 */
const PASSED_ON = new Set([...CLIENT_ERROR_CODES].filter((c) => !c.startsWith('GRAPHQL_') && !c.startsWith('PERSISTED_QUERY')
  && c !== 'OPERATION_RESOLUTION_FAILURE'));

type SubgraphErrorBody = { errors?: { message?: unknown; extensions?: { code?: unknown } }[] };

/**
 * Forwards the caller's Authorization header to the subgraph, which verifies
 * it itself: the gateway grants nothing on its own.
 */
export class AuthForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  /** `trustHeaders`: the shared secret subgraphs ask of the gateway (none when unset). */
  constructor(url: string, private readonly trustHeaders: Record<string, string> = {}) {
    super({ url, fetcher: keepAliveFetch });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const authorization = (context as GatewayContext | undefined)?.authorization;
    if (authorization) request.http?.headers.set('authorization', authorization);
    for (const [name, value] of Object.entries(this.trustHeaders)) request.http?.headers.set(name, value);
    const clientIp = (context as GatewayContext | undefined)?.clientIp;
    if (clientIp) request.http?.headers.set(CLIENT_IP_HEADER, clientIp);
  }

  /**
   * A subgraph refuses a whole request (HTTP 4xx) when the client's input is
   * bad, e.g. a variable its scalar rejects: that is the client's error, with
   * the subgraph's message, never an internal one. Anything else keeps
   * Apollo's mapping (401, 403 by status; a 5xx or a body that is not
   * GraphQL is internal), and nothing about the subgraph (URL, status, body)
   * reaches the client.
   */
  override async errorFromResponse(response: Response): Promise<GraphQLError> {
    const body = (await response.clone().json().catch(() => null)) as SubgraphErrorBody | null;
    const first = Array.isArray(body?.errors) ? body!.errors[0] : undefined;
    const code = first?.extensions?.code;
    if (response.status >= 400 && response.status < 500 && typeof code === 'string' && PASSED_ON.has(code)
      && typeof first?.message === 'string') {
      return new GraphQLError(first.message, { extensions: { code } });
    }
    // Apollo's own mapping (401 and 403 by status, the rest internal); formatGatewayError drops what it adds about the subgraph.
    return super.errorFromResponse(response);
  }
}
