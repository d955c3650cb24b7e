import { ApolloServerPlugin } from '@apollo/server';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { graphqlDuration, graphqlRequests, operationLabel, secondsSince } from './metrics';

/**
 * Counts and times every GraphQL request of a service by operation name and
 * outcome (`ok`, or the code of its first error), and names the request's
 * span (started by `observeHttp`) after the operation.
 */
export function graphqlObservabilityPlugin(service: string): ApolloServerPlugin<any> {
  return {
    async requestDidStart({ request }) {
      const start = process.hrtime.bigint();
      return {
        async willSendResponse({ response, operationName, errors }) {
          const body = response.body.kind === 'single' ? response.body.singleResult : response.body.initialResult;
          const first = body.errors?.[0] ?? errors?.[0];
          const outcome = first ? String(first.extensions?.code ?? 'INTERNAL_SERVER_ERROR') : 'ok';
          const operation = operationLabel(operationName ?? request.operationName);
          graphqlRequests.inc({ service, operation, outcome });
          graphqlDuration.observe({ service, operation, outcome }, secondsSince(start));
          const span = trace.getActiveSpan();
          if (span) {
            span.updateName(`graphql ${operation}`);
            span.setAttributes({ 'graphql.operation.name': operation, 'shop.outcome': outcome });
            if (first) span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
          }
        },
      };
    },
  };
}
