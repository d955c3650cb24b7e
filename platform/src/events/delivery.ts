import { JsMsg } from '@nats-io/jetstream';
import { Logger } from '../logger';
import { EventEnvelope } from './contracts';
import { HandlingOutcome } from '../observability/event-observation';

const MAX_DELIVERIES = 25;

/**
 * Thrown by a handler, before it wrote anything, when what the event needs
 * has not arrived yet (usually an event of another stream not handled yet).
 * The event is redelivered shortly, without a warning; in a batch only that
 * event is: the others commit. After MAX_DELIVERIES it is given up like any
 * failing event.
 */
export class EventNotReady extends Error {}

/** A delivery that could not be handled: redelivered with backoff, or given up after MAX_DELIVERIES. */
export function failed(m: JsMsg, e: unknown, eventId: string, spec: { name: string }, log: Logger): HandlingOutcome {
  const attempt = m.info.deliveryCount;
  if (attempt >= MAX_DELIVERIES) {
    log.error({ err: e, eventId, consumer: spec.name }, 'giving up on an event');
    m.term();
    return 'gave_up';
  }
  if (e instanceof EventNotReady) {
    log.debug({ eventId, consumer: spec.name, attempt, reason: e.message }, 'event not ready yet; redelivering');
    // What it waits for is usually a few milliseconds away: retry soon, backing off gently.
    m.nak(Math.min(5_000, 25 * 2 ** (attempt - 1)));
    return 'retry';
  }
  log.warn({ err: e, eventId, consumer: spec.name, attempt }, 'event handling failed; redelivering');
  // The first retry comes quickly (the usual cause is an event of another stream not handled yet), later ones back off.
  m.nak(Math.min(30_000, 25 * 4 ** (attempt - 1)));
  return 'retry';
}

/** The envelope of a delivery, or null (and the message terminated) when it is not JSON. */
export function envelopeOf(m: JsMsg, log: Logger): EventEnvelope<any> | null {
  try {
    return m.json<EventEnvelope<any>>();
  } catch {
    log.error({ subject: m.subject }, 'dropping an event that is not JSON');
    m.term();
    return null;
  }
}

