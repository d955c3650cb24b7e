import { RemoteGraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';

/** What the gateway keeps of each request: the caller's credentials, passed on untouched. */
export interface GatewayContext { authorization?: string }

/**
 * Node's fetch keeps one pool of keep-alive connections per subgraph origin
 * for the whole process, so requests reuse sockets instead of opening new ones.
 */
const keepAliveFetch = globalThis.fetch as any;

/**
 * Forwards the caller's Authorization header to the subgraph, which verifies
 * it itself: the gateway grants nothing on its own.
 */
export class AuthForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(url: string) {
    super({ url, fetcher: keepAliveFetch });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const authorization = (context as GatewayContext | undefined)?.authorization;
    if (authorization) request.http?.headers.set('authorization', authorization);
  }
}
