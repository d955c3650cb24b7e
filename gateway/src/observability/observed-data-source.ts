import { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { inSpan, outgoingHeaders, secondsSince, subgraphFetchDuration, subgraphFetchErrors } from '@shop/platform';
import { AuthForwardingDataSource, GatewayContext } from '../data-source';

/**
 * A subgraph data source that carries the request's id and trace context
 * to the subgraph, runs each fetch in a client span, and counts and times
 * fetches by subgraph and outcome.
 */
export class ObservedDataSource extends AuthForwardingDataSource {
  private readonly subgraphName: string;

  constructor(subgraph: string, url: string, options: Omit<ConstructorParameters<typeof AuthForwardingDataSource>[1] & object, 'name'> = {}) {
    super(url, { ...options, name: subgraph });
    this.subgraphName = subgraph;
  }

  protected override headersFor(context: GatewayContext | undefined): Record<string, string> {
    return { ...super.headersFor(context), ...outgoingHeaders() };
  }

  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): ReturnType<AuthForwardingDataSource['process']> {
    const subgraph = this.subgraphName;
    const start = process.hrtime.bigint();
    return inSpan('gateway', `fetch ${subgraph}`, { kind: SpanKind.CLIENT, attributes: { 'shop.subgraph': subgraph } }, async (span) => {
      try {
        const response = await super.process(options);
        const outcome = response.errors?.length ? 'graphql_error' : 'ok';
        if (outcome !== 'ok') {
          subgraphFetchErrors.inc({ subgraph, kind: outcome });
          span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
        }
        subgraphFetchDuration.observe({ subgraph, outcome }, secondsSince(start));
        return response;
      } catch (e) {
        subgraphFetchErrors.inc({ subgraph, kind: 'failed' });
        subgraphFetchDuration.observe({ subgraph, outcome: 'failed' }, secondsSince(start));
        throw e;
      }
    });
  }
}
