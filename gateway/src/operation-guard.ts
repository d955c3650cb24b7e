import { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';

function badRequest(message: string, code: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status: 400 } } });
}

/**
 * Refuses, as a client error, the requests Apollo gateway would otherwise
 * fail with a 500: no operation matching operationName (or several and no
 * name), and a subscription over HTTP (served over graphql-ws only).
 */
export function operationGuardPlugin(): ApolloServerPlugin<any> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request }) {
          if (!operation) {
            throw badRequest(
              request.operationName
                ? `Unknown operation named "${request.operationName}"`
                : 'The document holds several operations: name the one to run in operationName',
              'OPERATION_RESOLUTION_FAILURE',
            );
          }
          if (operation.operation === 'subscription') {
            throw badRequest('Subscriptions are served over WebSocket (graphql-ws) at this endpoint, not over HTTP', 'BAD_REQUEST');
          }
        },
      };
    },
  };
}
