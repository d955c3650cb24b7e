import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { EventEnvelope, EventMap, EventType, SubgraphName, newId, streamName, subjectOf } from '@shop/platform';
import { Stack } from './stack';
import { eventually } from './eventually';
import { subgraphSql } from './database';

export interface PublishOptions<T extends EventType> {
  /** When the event happened (now by default). */
  occurredAt?: Date;
  /** Publishes this envelope instead of a new one (to send an event again). */
  event?: EventEnvelope<T>;
  /** `false`: no JetStream message id, so the stream keeps every copy, as after a redelivery. */
  msgID?: boolean;
}

/** Publishes an event under the test's prefix as its producer's relay would (the JetStream message id is the event id). */
export async function publish<T extends EventType>(
  stack: Stack, type: T, data: EventMap[T], options: PublishOptions<T> = {},
): Promise<EventEnvelope<T>> {
  const event: EventEnvelope<T> = options.event ?? { id: newId(), type, occurredAt: (options.occurredAt ?? new Date()).toISOString(), data };
  const js = jetstream(await stack.nats());
  await js.publish(subjectOf(stack.config.eventPrefix, type), JSON.stringify(event), options.msgID === false ? {} : { msgID: event.id });
  return event;
}

/** One message of the test's event stream. */
export interface StoredEvent<T extends EventType = EventType> {
  subject: string;
  data: Uint8Array;
  type: T;
  /** The JetStream message id it was published with (the event id, from a relay). */
  msgId: string | undefined;
  event: EventEnvelope<T>;
}

/** Every message of the test's event stream whose subject matches (all by default), in stream order. */
export async function storedEvents<T extends EventType = EventType>(
  stack: Stack, subject: (subject: string) => boolean = () => true,
): Promise<StoredEvent<T>[]> {
  const jsm = await jetstreamManager(await stack.nats());
  const stream = streamName(stack.config.eventPrefix);
  const { state } = await jsm.streams.info(stream);
  const events: StoredEvent<T>[] = [];
  for (let seq = state.first_seq; state.messages > 0 && seq <= state.last_seq; seq++) {
    const msg = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
    if (!msg || !subject(msg.subject)) continue;
    const event = msg.json<EventEnvelope<T>>();
    events.push({ subject: msg.subject, data: msg.data, type: event.type, msgId: msg.header?.get('Nats-Msg-Id'), event });
  }
  return events;
}

/** Every event of one type in the test's event stream, in stream order. */
export async function storedEventsOf<T extends EventType>(stack: Stack, type: T): Promise<StoredEvent<T>[]> {
  const subject = subjectOf(stack.config.eventPrefix, type);
  return storedEvents<T>(stack, (s) => s === subject);
}

/** Publishes copies of events without a message id, so the stream keeps them: each is delivered again. */
export async function redeliver(stack: Stack, events: StoredEvent[]): Promise<void> {
  const js = jetstream(await stack.nats());
  for (const event of events) await js.publish(event.subject, event.data);
}

/** Waits until a subgraph's outbox is fully relayed: everything it recorded is in the stream. */
export async function outboxRelayed(stack: Stack, name: SubgraphName): Promise<void> {
  await eventually(async () => (await subgraphSql(stack, name, 'SELECT 1 FROM outbox_events WHERE published_at IS NULL LIMIT 1')).length === 0,
    `${name} outbox relayed`);
}

/** Waits until a durable consumer has acknowledged every message of its subject published so far. */
export async function consumerCaughtUp(stack: Stack, consumer: string): Promise<void> {
  const jsm = await jetstreamManager(await stack.nats());
  const stream = streamName(stack.config.eventPrefix);
  await eventually(async () => {
    const info = await jsm.consumers.info(stream, consumer);
    return info.num_pending === 0 && info.num_ack_pending === 0;
  }, `${consumer} caught up`);
}

/**
 * Waits until every durable consumer of the stream has handled and
 * acknowledged everything, but those named in `except`: consumers that
 * rightly keep retrying a test's synthetic event (payments waiting for a
 * capture that a made-up order never gets).
 */
export async function consumersIdle(stack: Stack, except: string[] = []): Promise<void> {
  const jsm = await jetstreamManager(await stack.nats());
  const stream = streamName(stack.config.eventPrefix);
  await eventually(async () => {
    const infos = (await jsm.consumers.list(stream).next()).filter((c) => !except.includes(c.name));
    return infos.length > 0 && infos.every((c) => c.num_pending === 0 && c.num_ack_pending === 0);
  }, 'every consumer caught up', 30_000);
}
