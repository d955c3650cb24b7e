import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, DeliverPolicy, JsMsg, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { Logger } from '../logger';
import { PlatformConfig } from '../config';
import { EventEnvelope, EventType, subjectOf } from './contracts';
import { streamName } from './nats';
import { HandlingOutcome, observeDelivery, sampleConsumerLag } from '../observability/event-observation';

/** What a handler may read besides the event: the process's configuration and logger. */
export interface ConsumerEnv { config: PlatformConfig; log: Logger }

/** What a subgraph does with one event type. The handler runs in a transaction. */
export interface ConsumerSpec<T extends EventType = EventType> {
  /** Durable consumer name, unique per subgraph and event type, e.g. `catalog-stock-changed`. */
  name: string;
  type: T;
  handle(em: EntityManager, event: EventEnvelope<T>, env: ConsumerEnv): Promise<void>;
  /**
   * A second delivery cannot change what the handler does (a version-guarded
   * upsert of a projection; a side effect claimed on a unique key first): it
   * runs without a transaction and without an inbox row, saving three round
   * trips per event and holding no connection between its statements.
   */
  idempotentByItself?: boolean;
}

export interface RunningConsumer { stop(): Promise<void> }

const MAX_DELIVERIES = 25;

/**
 * Runs a durable pull consumer: at most `concurrency` messages in flight,
 * explicit ack after the handler's transaction commits, nak with backoff on
 * failure. The handler's transaction also records the event id in
 * `processed_events`, so a redelivered event changes nothing.
 */
export async function startConsumer(
  orm: MikroORM, nc: NatsConnection, config: PlatformConfig, spec: ConsumerSpec<any>, log: Logger,
  options: { concurrency?: number; afterCommit?: () => void } = {},
): Promise<RunningConsumer> {
  const prefix = config.eventPrefix;
  const concurrency = options.concurrency ?? 8;
  const stream = streamName(prefix);
  const jsm = await jetstreamManager(nc);
  await jsm.consumers.add(stream, {
    durable_name: spec.name,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    filter_subject: subjectOf(prefix, spec.type),
    ack_wait: nanos(30_000),
    max_ack_pending: 1000,
  });
  const consumer = await jetstream(nc).consumers.get(stream, spec.name);
  const messages = await consumer.consume({ max_messages: concurrency });
  const inflight = new Set<Promise<void>>();

  const stopSampling = sampleConsumerLag(spec.name, () => consumer.info(), config.observability.sampleIntervalMs);

  const deliver = async (m: JsMsg): Promise<HandlingOutcome> => {
    let event: EventEnvelope<any>;
    try {
      event = m.json<EventEnvelope<any>>();
    } catch {
      log.error({ subject: m.subject }, 'dropping an event that is not JSON');
      m.term();
      return 'dropped';
    }
    try {
      if (spec.idempotentByItself) {
        await spec.handle(orm.em.fork(), event, { config, log });
        m.ack();
        return 'ok';
      }
      const fresh = await orm.em.fork().transactional(async (em) => {
        const claimed = await em.execute(
          `INSERT INTO processed_events (consumer, event_id, processed_at) VALUES (?, ?, now())
           ON CONFLICT DO NOTHING RETURNING event_id`, [spec.name, event.id]);
        if (claimed.length === 0) return false;
        await spec.handle(em, event, { config, log });
        return true;
      });
      m.ack();
      if (fresh) options.afterCommit?.();
      return fresh ? 'ok' : 'duplicate';
    } catch (e) {
      const attempt = m.info.deliveryCount;
      if (attempt >= MAX_DELIVERIES) {
        log.error({ err: e, eventId: event.id, consumer: spec.name }, 'giving up on an event');
        m.term();
        return 'gave_up';
      } else {
        log.warn({ err: e, eventId: event.id, consumer: spec.name, attempt }, 'event handling failed; redelivering');
        // The first retry comes quickly (the usual cause is an event of another stream not handled yet), later ones back off.
        m.nak(Math.min(30_000, 25 * 4 ** (attempt - 1)));
        return 'retry';
      }
    }
  };
  const handle = (m: JsMsg) => observeDelivery(spec.name, spec.type, m, () => deliver(m));

  const loop = (async () => {
    for await (const m of messages) {
      const p = handle(m).finally(() => inflight.delete(p));
      inflight.add(p);
      if (inflight.size >= concurrency) await Promise.race(inflight);
    }
  })();

  return {
    async stop() {
      stopSampling();
      await messages.close().catch(() => undefined);
      await loop.catch(() => undefined);
      await Promise.allSettled([...inflight]);
    },
  };
}
