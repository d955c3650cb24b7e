import { EntitySchema } from '@mikro-orm/postgresql';

/** An event written in the same transaction as the change it reports; the relay publishes it. */
export class OutboxEvent {
  id!: string;
  type!: string;
  payload!: Record<string, unknown>;
  occurredAt!: Date;
  publishedAt?: Date | null;
  /** The request (or event handling) that recorded it; published as the `x-request-id` header. */
  requestId?: string | null;
  /** W3C `traceparent` of the span that recorded it; published as the `traceparent` header. */
  traceContext?: string | null;
}

export const OutboxEventSchema = new EntitySchema<OutboxEvent>({
  class: OutboxEvent,
  tableName: 'outbox_events',
  properties: {
    id: { type: 'uuid', primary: true },
    type: { type: 'string' },
    payload: { type: 'json' },
    occurredAt: { type: 'datetime' },
    publishedAt: { type: 'datetime', nullable: true },
    requestId: { type: 'string', nullable: true },
    traceContext: { type: 'string', nullable: true },
  },
});

/** An event a consumer has handled: a second delivery of it changes nothing. */
export class ProcessedEvent {
  consumer!: string;
  eventId!: string;
  processedAt!: Date;
}

export const ProcessedEventSchema = new EntitySchema<ProcessedEvent>({
  class: ProcessedEvent,
  tableName: 'processed_events',
  properties: {
    consumer: { type: 'string', primary: true },
    eventId: { type: 'uuid', primary: true },
    processedAt: { type: 'datetime' },
  },
});

export const eventEntities = [OutboxEventSchema, ProcessedEventSchema];
