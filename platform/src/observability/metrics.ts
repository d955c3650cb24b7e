import { Counter, Gauge, Histogram, register } from 'prom-client';

/**
 * The shop's Prometheus series, in the process's one registry (prom-client's
 * default, served at /metrics with the default process metrics). Where
 * several services share a process (development, tests) a `service` label
 * tells them apart.
 */

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

function once<T>(name: string, make: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? make();
}

export const graphqlRequests = once('shop_graphql_requests_total', () => new Counter({
  name: 'shop_graphql_requests_total',
  help: 'GraphQL requests by service, operation name and outcome (ok or the first error code)',
  labelNames: ['service', 'operation', 'outcome'],
}));

export const graphqlDuration = once('shop_graphql_request_duration_seconds', () => new Histogram({
  name: 'shop_graphql_request_duration_seconds',
  help: 'Time to answer a GraphQL request, by service, operation name and outcome',
  labelNames: ['service', 'operation', 'outcome'],
  buckets: LATENCY_BUCKETS,
}));

export const subgraphFetchDuration = once('shop_gateway_subgraph_fetch_duration_seconds', () => new Histogram({
  name: 'shop_gateway_subgraph_fetch_duration_seconds',
  help: 'Time of one gateway fetch from a subgraph, by subgraph and outcome (ok, graphql_error, failed)',
  labelNames: ['subgraph', 'outcome'],
  buckets: LATENCY_BUCKETS,
}));

export const subgraphFetchErrors = once('shop_gateway_subgraph_fetch_errors_total', () => new Counter({
  name: 'shop_gateway_subgraph_fetch_errors_total',
  help: 'Gateway fetches from a subgraph that failed (no answer) or answered errors',
  labelNames: ['subgraph', 'kind'],
}));

export const eventsHandled = once('shop_events_handled_total', () => new Counter({
  name: 'shop_events_handled_total',
  help: 'Events a consumer handled, by consumer and outcome (ok, duplicate, retry, dropped, gave_up)',
  labelNames: ['consumer', 'outcome'],
}));

export const eventHandlingDuration = once('shop_event_handling_duration_seconds', () => new Histogram({
  name: 'shop_event_handling_duration_seconds',
  help: 'Time a consumer spent on one delivery of an event, by consumer and outcome',
  labelNames: ['consumer', 'outcome'],
  buckets: LATENCY_BUCKETS,
}));

export const eventRedeliveries = once('shop_event_redeliveries_total', () => new Counter({
  name: 'shop_event_redeliveries_total',
  help: 'Deliveries of an event a consumer had already been given (JetStream deliveryCount > 1)',
  labelNames: ['consumer'],
}));

export const consumerPending = once('shop_consumer_pending_events', () => new Gauge({
  name: 'shop_consumer_pending_events',
  help: 'Events in the stream not yet delivered to a consumer (num_pending, sampled periodically)',
  labelNames: ['consumer'],
}));

export const outboxBacklog = once('shop_outbox_unpublished_events', () => new Gauge({
  name: 'shop_outbox_unpublished_events',
  help: 'Outbox rows not yet published to NATS (sampled periodically)',
  labelNames: ['service'],
}));

export const checkoutDuration = once('shop_checkout_saga_duration_seconds', () => new Histogram({
  name: 'shop_checkout_saga_duration_seconds',
  help: 'Time from checkout (order placed) to the order CONFIRMED or CANCELLED, observed by orders',
  labelNames: ['outcome'],
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
}));

const openSubscriptionSources = new Map<string, () => number>();

export const openSubscriptions = once('shop_graphql_open_subscriptions', () => new Gauge({
  name: 'shop_graphql_open_subscriptions',
  help: 'GraphQL subscriptions open right now, by service',
  labelNames: ['service'],
  collect() {
    for (const [service, count] of openSubscriptionSources) this.set({ service }, count());
  },
}));

/** Reports a service's open subscriptions at every scrape; returns the function that stops it. */
export function reportOpenSubscriptions(service: string, count: () => number): () => void {
  openSubscriptionSources.set(service, count);
  return () => {
    if (openSubscriptionSources.get(service) !== count) return;
    openSubscriptionSources.delete(service);
    openSubscriptions.remove({ service });
  };
}

/** Records how long a checkout took to end, when orders confirms or cancels a PENDING order. */
export function observeCheckoutEnd(outcome: 'CONFIRMED' | 'CANCELLED', placedAt: Date): void {
  checkoutDuration.observe({ outcome }, Math.max(0, (Date.now() - placedAt.getTime()) / 1000));
}

const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,99}$/;

/** An operation name as a label: clients choose names, so anything odd is folded into one value. */
export function operationLabel(name: string | null | undefined): string {
  if (!name) return 'anonymous';
  return OPERATION_NAME.test(name) ? name : 'invalid';
}

/** Seconds since a `process.hrtime.bigint()` reading. */
export function secondsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

export const dbStatements = once('shop_db_statements_total', () => new Counter({
  name: 'shop_db_statements_total',
  help: 'SQL statements sent to PostgreSQL (BEGIN and COMMIT included), by database',
  labelNames: ['database'],
}));
