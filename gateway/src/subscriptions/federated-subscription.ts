import { ExecutionResult, GraphQLError, GraphQLSchema } from 'graphql';
import { SubscriptionNode } from '@apollo/query-planner';
import { applyRewrites } from '@apollo/gateway/dist/dataRewrites';
import { mapStream, outgoingHeaders } from '@shop/platform';
import { executePlanNode } from './plan-executor';
import { ClientOperation, shapeEvent } from './shape';
import { SubgraphFetcher } from './subgraph-fetch';
import { UpstreamPool, UpstreamResult } from './upstream';

/** One client's subscription, validated and planned. */
export interface PlannedSubscription extends ClientOperation {
  node: SubscriptionNode;
  supergraphSchema: GraphQLSchema;
  /** The client's variables, coerced with defaults applied. */
  variables: Record<string, unknown>;
  /** The client's `Authorization` value, passed on to every subgraph this subscription touches. */
  authorization?: string;
  /** The id this subscription's upstream operation and fetches carry (`x-request-id`); a shared stream carries its first subscriber's. */
  requestId?: string;
}

export interface SubscriptionServices {
  upstream: UpstreamPool;
  fetcher: SubgraphFetcher;
  urlOf(serviceName: string): string;
}

/**
 * The primary fetch of a planned subscription, as an operation on the owning
 * subgraph's shared connection, as `sub.authorization` and under `sub.requestId`.
 */
export function subscribeUpstream(sub: PlannedSubscription, services: SubscriptionServices): AsyncIterableIterator<UpstreamResult> {
  const { primary } = sub.node;
  const variables: Record<string, unknown> = {};
  for (const name of primary.variableUsages ?? []) if (sub.variables[name] !== undefined) variables[name] = sub.variables[name];
  return services.upstream.subscribe(services.urlOf(primary.serviceName), {
    query: primary.operation,
    operationName: primary.operationName,
    variables,
    // The subgraph logs and traces this operation's events under the subscription's request id and trace context.
    extensions: { ...(sub.authorization ? { authorization: sub.authorization } : {}), ...outgoingHeaders(sub.requestId) },
  });
}

/**
 * Runs a planned subscription: the primary fetch as an operation on the
 * owning subgraph's shared connection, then for each of its events the
 * plan's `rest` (entity fetches over HTTP, as the caller) and the shaping to
 * the client's selection. Events are handled one at a time, in order.
 * Ending the stream unsubscribes upstream and aborts the fetches in flight.
 */
export function runSubscription(sub: PlannedSubscription, services: SubscriptionServices, onEnd: () => void): AsyncIterableIterator<ExecutionResult> {
  const controller = new AbortController();
  const events = subscribeUpstream(sub, services);
  const resolve = (event: UpstreamResult) => resolveEventOrFail(event, sub, services, controller.signal);
  return mapStream(events, resolve, () => {
    controller.abort();
    onEnd();
  });
}

/** As `resolveEvent`; a failure is reported on that event, so that the subscription goes on with the next one. */
export function resolveEventOrFail(
  event: UpstreamResult, sub: PlannedSubscription, services: SubscriptionServices, signal: AbortSignal,
): Promise<ExecutionResult> {
  return resolveEvent(event, sub, services, signal).catch((e: Error) => ({
    errors: [new GraphQLError('Could not resolve this event', { originalError: e, extensions: { code: 'INTERNAL_SERVER_ERROR' } })],
  }));
}

/** One event of a subscription resolved for the client: entity fetches (as `sub.authorization`, under `sub.requestId`) and shaping. */
async function resolveEvent(
  event: UpstreamResult, sub: PlannedSubscription, services: SubscriptionServices, signal: AbortSignal,
): Promise<ExecutionResult> {
  // Errors of the primary (UNAUTHENTICATED, FORBIDDEN...) reach the client with their code.
  const errors = (event.errors ?? []).map((e) => new GraphQLError(e.message, { path: e.path, extensions: e.extensions }));
  if (!event.data) return { errors };
  const data = event.data as Record<string, any>;
  applyRewrites(sub.supergraphSchema, sub.node.primary.outputRewrites, data);
  if (sub.node.rest) {
    await executePlanNode(sub.node.rest, [{ value: data, path: [] }], {
      supergraphSchema: sub.supergraphSchema,
      variables: sub.variables,
      errors,
      signal,
      send: (serviceName, request) => services.fetcher.fetch(services.urlOf(serviceName), request, sub.authorization, signal, sub.requestId),
    });
  }
  return shapeEvent(sub, data, errors);
}
