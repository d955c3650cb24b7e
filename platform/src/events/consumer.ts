import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, DeliverPolicy, JsMsg, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { Logger } from '../logger';
import { PlatformConfig } from '../config';
import { EventEnvelope, EventType, subjectOf } from './contracts';
import { streamName } from './nats';
import { publishNotice } from './notices';
import { eventsRecordedSoFar } from './outbox';
import { HandlingOutcome, observeDelivery, sampleConsumerLag } from '../observability/event-observation';
import { BATCH_MAX, BatchRunner, handleBatch } from './consumer-batch';
import { envelopeOf, failed } from './delivery';
import { transactionalThen } from './after-commit';
import { InboxClaim, inboxClaim, isInboxConflict } from './inbox';

/** What a handler may read besides the event: the process's configuration and logger. */
export interface ConsumerEnv {
  config: PlatformConfig;
  log: Logger;
  /** Publishes a notice (`events/notices.ts`) under this deployment's prefix: at most once, never stored. */
  notice?(name: string): void;
}

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
  /**
   * With `idempotentByItself`: the events pulled at once, handled with one
   * call (one multi-row upsert instead of a statement per event), outside
   * any transaction. If it fails, each event is handled again with `handle`.
   */
  handleAll?(em: EntityManager, events: EventEnvelope<T>[], env: ConsumerEnv): Promise<void>;
  /**
   * The events pulled at once are handled in ONE transaction, their inbox
   * rows claimed in one statement; if it fails, each event is retried in a
   * transaction of its own. Only for handlers that take no lock another
   * transaction may hold for long (a batch waits for the slowest lock) and
   * that lock at most the row of their own event. A handler that throws
   * `EventNotReady` (before writing anything) leaves the rest of the batch
   * to commit; only that event is redelivered.
   */
  batched?: boolean;
  /**
   * Whether an event asks anything of this consumer (an order without a
   * coupon asks nothing of discounts). One that does not is acked at once:
   * no transaction, no inbox row. Judged on the payload alone.
   */
  concerns?(event: EventEnvelope<T>): boolean;
  /**
   * Handles the event in ONE statement, outside any transaction, when it
   * can: the statement reads and claims the event's inbox row itself
   * (`inbox`), so a redelivery finds it handled, and the claim and the
   * effects commit together. Saves the transaction's BEGIN, COMMIT and the
   * separate claim. 'handled' when the statement did the work, or the
   * event needed none, or had been handled; 'use handle' when it wrote
   * nothing and the event must go through `handle`, in a transaction with
   * its inbox row as usual (a refusal that needs several statements). A
   * statement that fails changes nothing and the event is redelivered. Used
   * for events handled one by one (a `batched` consumer's batch of several
   * goes through `handle` in one transaction).
   */
  handleAtOnce?(em: EntityManager, event: EventEnvelope<T>, env: ConsumerEnv, inbox: InboxClaim): Promise<'handled' | 'use handle'>;
  /**
   * Created on a deployment whose stream already holds events, the consumer
   * starts with the events published after its creation instead of the
   * stream's first: for one that takes a duty over from a retired consumer
   * (`SubgraphDefinition.retiredConsumers`), whose past effects it must not
   * apply a second time.
   */
  startsAtCreation?: boolean;
}

export interface RunningConsumer { stop(): Promise<void> }

/** Deletes durable consumers a subgraph no longer runs, so the stream keeps no backlog for them; absent ones are skipped. */
export async function removeConsumers(nc: NatsConnection, prefix: string, names: string[]): Promise<void> {
  if (names.length === 0) return;
  const jsm = await jetstreamManager(nc);
  const stream = streamName(prefix);
  for (const name of names) {
    await jsm.consumers.delete(stream, name).catch((e: unknown) => {
      if (!/not found/i.test(String((e as Error)?.message))) throw e;
    });
  }
}

/**
 * Handles one delivery in a transaction of its own, with its inbox row (or
 * without either for `idempotentByItself`), and acks, naks or terminates it.
 */
export function singleDelivery(
  orm: MikroORM, spec: ConsumerSpec<any>, env: ConsumerEnv, afterCommit: () => void,
): (m: JsMsg) => Promise<HandlingOutcome> {
  return async (m) => {
    const event = envelopeOf(m, env.log);
    if (!event) return 'dropped';
    if (spec.concerns && !spec.concerns(event)) { m.ack(); return 'ignored'; }
    const recordedBefore = eventsRecordedSoFar();
    try {
      if (spec.idempotentByItself) {
        await spec.handle(orm.em.fork(), event, env);
        m.ack();
        return 'ok';
      }
      if (spec.handleAtOnce) {
        const done = await spec.handleAtOnce(orm.em.fork(), event, env, inboxClaim(spec.name, event.id)).catch((e: unknown) => {
          if (isInboxConflict(e)) return 'duplicate' as const;
          throw e;
        });
        if (done !== 'use handle') {
          m.ack();
          if (done === 'handled' && eventsRecordedSoFar() !== recordedBefore) afterCommit();
          return done === 'handled' ? 'ok' : 'duplicate';
        }
      }
      const fresh = await transactionalThen(orm.em.fork(), async (em) => {
        const claimed = await em.execute(
          `INSERT INTO processed_events (consumer, event_id, processed_at) VALUES (?, ?, now())
           ON CONFLICT DO NOTHING RETURNING event_id`, [spec.name, event.id]);
        if (claimed.length === 0) return false;
        await spec.handle(em, event, env);
        return true;
      });
      m.ack();
      if (fresh && eventsRecordedSoFar() !== recordedBefore) afterCommit();
      return fresh ? 'ok' : 'duplicate';
    } catch (e) {
      return failed(m, e, event.id, spec, env.log);
    }
  };
}

/**
 * Runs a durable pull consumer: at most `concurrency` messages in flight,
 * explicit ack after the handler's transaction commits, nak with backoff on
 * failure. The handler's transaction also records the event id in
 * `processed_events`, so a redelivered event changes nothing. `afterCommit`
 * runs after a handler that recorded events committed (it wakes the relay).
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
    deliver_policy: spec.startsAtCreation ? DeliverPolicy.New : DeliverPolicy.All,
    filter_subject: subjectOf(prefix, spec.type),
    ack_wait: nanos(30_000),
    max_ack_pending: 1000,
  });
  const consumer = await jetstream(nc).consumers.get(stream, spec.name);
  const inBatches = spec.batched || Boolean(spec.idempotentByItself && spec.handleAll);
  const messages = await consumer.consume({ max_messages: inBatches ? BATCH_MAX : concurrency });
  const inflight = new Set<Promise<void>>();
  const env: ConsumerEnv = { config, log, notice: (name) => publishNotice(nc, prefix, name) };
  const afterCommit = options.afterCommit ?? (() => undefined);

  const stopSampling = sampleConsumerLag(spec.name, () => consumer.info(), config.observability.sampleIntervalMs);

  const deliver = singleDelivery(orm, spec, env, afterCommit);
  const handle = (m: JsMsg) => observeDelivery(spec.name, spec.type, m, () => deliver(m));

  const batches = inBatches
    ? new BatchRunner((ms) => handleBatch(orm, spec, env, ms, deliver, afterCommit))
    : null;
  const loop = (async () => {
    for await (const m of messages) {
      if (batches) {
        await batches.add(m);
        continue;
      }
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
      await batches?.idle();
      await Promise.allSettled([...inflight]);
    },
  };
}
