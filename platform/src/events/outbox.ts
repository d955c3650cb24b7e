import { EntityManager } from '@mikro-orm/postgresql';
import { newId } from '../ids';
import { EventMap, EventType } from './contracts';
import { OutboxEvent } from './event.entities';
import { currentRequestId } from '../observability/request-context';
import { currentTraceparent } from '../observability/tracing';

let recorded = 0;

/** How many events this process has recorded so far: a consumer wakes the relay only when its handler added some. */
export function eventsRecordedSoFar(): number {
  return recorded;
}

/**
 * Records an event in the outbox of the current unit of work: it is written
 * in the same transaction as the change it reports, so both happen or
 * neither does. The relay publishes it after the commit, with the id and
 * trace context of the request (or event handling) that recorded it.
 */
export function recordEvent<T extends EventType>(em: EntityManager, type: T, data: EventMap[T]): OutboxEvent {
  const event = em.create(OutboxEvent, {
    id: newId(), type, payload: data as unknown as Record<string, unknown>, occurredAt: new Date(), publishedAt: null,
    requestId: currentRequestId() ?? null, traceContext: currentTraceparent(),
  });
  em.persist(event);
  recorded += 1;
  return event;
}
