import { JsMsg } from '@nats-io/jetstream';
import { Logger } from '../logger';
import { EventEnvelope } from './contracts';
import { HandlingOutcome } from '../observability/event-observation';

const MAX_DELIVERIES = 25;

/** A delivery that could not be handled: redelivered with backoff, or given up after MAX_DELIVERIES. */
export function failed(m: JsMsg, e: unknown, eventId: string, spec: { name: string }, log: Logger): HandlingOutcome {
  const attempt = m.info.deliveryCount;
  if (attempt >= MAX_DELIVERIES) {
    log.error({ err: e, eventId, consumer: spec.name }, 'giving up on an event');
    m.term();
    return 'gave_up';
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

