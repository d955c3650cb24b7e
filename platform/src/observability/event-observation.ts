import { MikroORM } from '@mikro-orm/postgresql';
import { JsMsg } from '@nats-io/jetstream';
import { MsgHdrs, headers as natsHeaders } from '@nats-io/transport-node';
import { SpanKind } from '@opentelemetry/api';
import { REQUEST_ID_HEADER, outsideRequest, requestIdFrom, withRequestId } from './request-context';
import { extractTraceContext, inSpan } from './tracing';
import {
  consumerPending, eventHandlingDuration, eventRedeliveries, eventsHandled, outboxBacklog, secondsSince,
} from './metrics';

/** What a consumer made of one delivery ('ignored': an event its `concerns` said asks nothing of it). */
export type HandlingOutcome = 'ok' | 'duplicate' | 'ignored' | 'retry' | 'dropped' | 'gave_up';

/** The NATS headers of an outbox row: the request id and trace context recorded with it. */
export function eventHeaders(requestId: string | null, traceparent: string | null): MsgHdrs | undefined {
  if (!requestId && !traceparent) return undefined;
  const h = natsHeaders();
  if (requestId) h.set(REQUEST_ID_HEADER, requestId);
  if (traceparent) h.set('traceparent', traceparent);
  return h;
}

function headerRecord(m: JsMsg): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of m.headers?.keys() ?? []) out[key.toLowerCase()] = m.headers!.get(key);
  return out;
}

/**
 * Handles one delivery as part of the request that caused the event: its
 * request id (from the message, else a new one) on every log line and every
 * event the handler records, and a consumer span, child of the trace context
 * the event was recorded in. Counts and times the outcome.
 */
export async function observeDelivery(consumer: string, type: string, m: JsMsg, handle: () => Promise<HandlingOutcome>): Promise<void> {
  const carried = headerRecord(m);
  const requestId = requestIdFrom(carried[REQUEST_ID_HEADER]);
  const start = process.hrtime.bigint();
  if (m.info.deliveryCount > 1) eventRedeliveries.inc({ consumer });
  const service = consumer.split('-')[0] ?? consumer;
  await withRequestId(requestId, () => inSpan(service, `consume ${type}`, {
    kind: SpanKind.CONSUMER,
    parent: extractTraceContext(carried),
    attributes: { 'messaging.system': 'nats', 'messaging.destination.name': m.subject, 'shop.consumer': consumer, 'shop.request_id': requestId },
  }, async (span) => {
    const outcome = await handle();
    span.setAttribute('shop.outcome', outcome);
    eventsHandled.inc({ consumer, outcome });
    eventHandlingDuration.observe({ consumer, outcome }, secondsSince(start));
  }));
}

/** Samples a consumer's lag (events not yet delivered) every `intervalMs`; returns the function that stops it. */
export function sampleConsumerLag(consumer: string, info: () => Promise<{ num_pending: number }>, intervalMs: number): () => void {
  const sample = () => { info().then((i) => consumerPending.set({ consumer }, i.num_pending), () => undefined); };
  const timer = outsideRequest(() => setInterval(sample, intervalMs).unref());
  sample();
  return () => { clearInterval(timer); consumerPending.remove({ consumer }); };
}

/** Samples a service's outbox backlog (unpublished rows, on the partial index) every `intervalMs`. */
export function sampleOutboxBacklog(orm: MikroORM, service: string, intervalMs: number): () => void {
  let busy = false;
  const sample = () => {
    if (busy) return;
    busy = true;
    orm.em.fork().execute('SELECT count(*)::int AS n FROM outbox_events WHERE published_at IS NULL')
      .then((rows) => outboxBacklog.set({ service }, Number(rows[0]?.n ?? 0)), () => undefined)
      .finally(() => { busy = false; });
  };
  const timer = outsideRequest(() => setInterval(sample, intervalMs).unref());
  sample();
  return () => { clearInterval(timer); outboxBacklog.remove({ service }); };
}
