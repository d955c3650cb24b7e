import http from 'node:http';
import { ApolloServer } from '@apollo/server';
import { Logger, graphQLPostHandler, isPlainGraphQLPost } from '@shop/platform';
import { GatewayContext } from './data-source';

export interface GraphQLPostOptions {
  apollo: ApolloServer<GatewayContext>;
  context(req: http.IncomingMessage): GatewayContext;
  /** While draining, every answer closes its connection (as `closeConnectionsWhileDraining`). */
  draining(): boolean;
  log: Logger;
}

/**
 * The common GraphQL request, a POST to /graphql of an uncompressed JSON
 * body from a client that asks for no compression, handed to Apollo
 * Server straight from node:http by the platform's `graphQLPostHandler`
 * (request id and server span, context, Express's answers to a body that
 * is not JSON), without the router, body parser, compression wrapper and
 * ETag of every answer. Answers true when it took the request; a client
 * that accepts compression, and every other request, goes on through
 * Express.
 */
export function graphqlPostHandler(options: GraphQLPostOptions): (req: http.IncomingMessage, res: http.ServerResponse) => boolean {
  const serve = graphQLPostHandler({
    apollo: options.apollo, service: 'gateway', log: options.log,
    contextOf: async (req) => options.context(req),
    // As the compression middleware in front of Express: the answer depends on Accept-Encoding.
    varyOn: 'Accept-Encoding',
  });
  return (req, res) => {
    const accepts = req.headers['accept-encoding'];
    if (!isPlainGraphQLPost(req) || (accepts !== undefined && accepts !== 'identity')) return false;
    if (options.draining()) res.setHeader('Connection', 'close');
    serve(req, res);
    return true;
  };
}
