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

/** The columns `outboxRow` fills, for `INSERT INTO outbox_events ${OUTBOX_COLUMNS} VALUES ...`. */
export const OUTBOX_COLUMNS = '(id, type, payload, occurred_at, published_at, request_id, trace_context)';

/**
 * An event as an outbox row, for a writer that inserts it with its own SQL
 * (in the same transaction as the change, like `recordEvent`): the
 * placeholders of one row of OUTBOX_COLUMNS and their values.
 */
export function outboxRow<T extends EventType>(
  type: T, data: EventMap[T],
): { id: string; placeholders: string; selectList: string; params: unknown[] } {
  const id = newId();
  recorded += 1;
  return {
    // `selectList` is the same row for `INSERT INTO outbox_events ${OUTBOX_COLUMNS} SELECT ${selectList} FROM ...`.
    id, placeholders: '(?, ?, ?::jsonb, ?, NULL, ?, ?)', selectList: '?, ?, ?::jsonb, ?, NULL, ?, ?',
    params: [id, type, JSON.stringify(data), new Date(), currentRequestId() ?? null, currentTraceparent()],
  };
}

/**
 * The INSERT of several `outboxRow`s, in their order (the relay publishes
 * in the order rows were inserted), written only when `condition` (an SQL
 * expression, e.g. `EXISTS (SELECT 1 FROM moved)`) holds: for a statement
 * whose events follow from one of its writes. Its values are the rows'
 * `params`, in order.
 */
export function outboxInsertWhen(rows: { params: unknown[] }[], condition: string): string {
  const values = rows.map((_, i) => `(${i}, ?::uuid, ?::varchar, ?::jsonb, ?::timestamptz, NULL::timestamptz, ?::varchar, ?::varchar)`);
  return `INSERT INTO outbox_events ${OUTBOX_COLUMNS}
       SELECT id, type, payload, occurred_at, published_at, request_id, trace_context
       FROM (VALUES ${values.join(', ')}) AS e (n, id, type, payload, occurred_at, published_at, request_id, trace_context)
       WHERE ${condition} ORDER BY n`;
}
