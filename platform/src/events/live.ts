import { NatsConnection } from '@nats-io/transport-node';
import { EventEnvelope, EventType, subjectOf } from './contracts';
import { pushable } from './event-stream';

let active = 0;

/** How many live event streams this process holds open (leak checks read it). */
export function activeLiveEvents(): number {
  return active;
}

/**
 * The events of one type as they happen, for GraphQL subscriptions. It is a
 * core NATS subscription on `subjectOf(prefix, type)`, not a JetStream
 * consumer: JetStream publishes are ordinary messages on those subjects, so
 * every process and replica sees every event, and nothing is stored per
 * subscriber. A subscription only sees events published after it started.
 * `return()` (client unsubscribe or disconnect) unsubscribes from NATS at once.
 */
export function liveEvents<T extends EventType>(
  nc: NatsConnection, prefix: string, type: T, filter?: (event: EventEnvelope<T>) => boolean,
): AsyncIterableIterator<EventEnvelope<T>> {
  active += 1;
  const stream = pushable<EventEnvelope<T>>(() => {
    active -= 1;
    if (!sub.isClosed()) sub.unsubscribe();
  });
  const sub = nc.subscribe(subjectOf(prefix, type), {
    callback: (err, msg) => {
      if (err) { stream.end(err); return; }
      let event: EventEnvelope<T>;
      try {
        event = msg.json<EventEnvelope<T>>();
      } catch {
        return; // not an envelope: nothing a subscriber could use
      }
      try {
        if (!filter || filter(event)) stream.push(event);
      } catch (e) {
        stream.end(e); // a broken filter ends this subscription with its error, not the process
      }
    },
  });
  // The connection closing (process stopping) ends the stream instead of leaving it hanging.
  void sub.closed.then((error) => stream.end(error instanceof Error ? error : undefined));
  return stream;
}
