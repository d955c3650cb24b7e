import { AsyncResource } from 'node:async_hooks';
import { MikroORM } from '@mikro-orm/postgresql';
import { JsMsg } from '@nats-io/jetstream';
import { EventEnvelope } from './contracts';
import { eventsRecordedSoFar } from './outbox';
import { HandlingOutcome, observeDelivery } from '../observability/event-observation';
import type { ConsumerEnv, ConsumerSpec } from './consumer';
import { EventNotReady, envelopeOf, failed } from './delivery';
import { transactionalThen } from './after-commit';

/** The most deliveries one transaction handles. */
export const BATCH_MAX = 64;

/** Collects deliveries as they arrive and hands them on in batches, one batch at a time. */
export class BatchRunner {
  private pending: JsMsg[] = [];
  private running: Promise<void> | null = null;

  constructor(private readonly run: (batch: JsMsg[]) => Promise<void>) {}

  /** Queues a delivery; waits while a full batch is waiting (so the pull never runs far ahead). */
  async add(m: JsMsg): Promise<void> {
    this.pending.push(m);
    this.start();
    if (this.pending.length >= BATCH_MAX) await this.running;
  }

  /** Resolves when every queued delivery has been handled. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private start(): void {
    if (this.running) return;
    this.running = (async () => {
      // The deliveries of one pull arrive one after the other: let them all in first.
      await new Promise((r) => setImmediate(r));
      while (this.pending.length) await this.run(this.pending.splice(0, BATCH_MAX)).catch(() => undefined);
    })().finally(() => {
      this.running = null;
      if (this.pending.length) this.start();
    });
  }
}

interface Entry {
  m: JsMsg;
  event: EventEnvelope<any> | null;
  /** Runs a function in the delivery's own context (its request id, its consumer span). */
  inContext: <T>(fn: () => T) => T;
  settle: (outcome: HandlingOutcome) => void;
}

/**
 * Handles a batch of deliveries in one transaction (for a self-idempotent
 * consumer with `handleAll`: one call, no transaction): the inbox rows of all
 * of them are claimed in one statement, then each event not handled before
 * is handled in turn, in its own request-id context. All commit together or
 * none does; when the transaction fails, every event is handled again in a
 * transaction of its own (`deliverOne`), so one bad event only costs the
 * others a second try. An event not ready yet (EventNotReady) is left out
 * of the commit and redelivered alone. Each delivery is still observed
 * (counted, timed, traced) on its own.
 */
export async function handleBatch(
  orm: MikroORM, spec: ConsumerSpec<any>, env: ConsumerEnv, msgs: JsMsg[],
  deliverOne: (m: JsMsg) => Promise<HandlingOutcome>, afterCommit: () => void,
): Promise<void> {
  if (msgs.length === 1) return observeDelivery(spec.name, spec.type, msgs[0]!, () => deliverOne(msgs[0]!));
  const entries: Entry[] = [];
  const observed = msgs.map((m) => {
    const entry = { m, event: null } as Entry;
    const outcome = new Promise<HandlingOutcome>((resolve) => { entry.settle = resolve; });
    entries.push(entry);
    return observeDelivery(spec.name, spec.type, m, () => {
      // What AsyncLocalStorage.snapshot() keeps, without its bound function (Node 20 builds deprecation getters for each).
      const scope = new AsyncResource('shop.event-delivery');
      entry.inContext = (fn) => scope.runInAsyncScope(fn);
      return outcome;
    });
  });
  // observeDelivery enters each delivery's context before its first await, so every inContext is set by now.
  const live: Entry[] = [];
  for (const entry of entries) {
    entry.event = entry.inContext(() => envelopeOf(entry.m, env.log));
    if (!entry.event) entry.settle('dropped');
    else if (spec.concerns && !spec.concerns(entry.event)) { entry.m.ack(); entry.settle('ignored'); }
    else live.push(entry);
  }
  if (live.length === 0) { await Promise.all(observed); return; }

  const recordedBefore = eventsRecordedSoFar();
  let outcome: { handled: Set<Entry>; notReady: Map<Entry, EventNotReady> };
  try {
    outcome = spec.idempotentByItself && spec.handleAll
      ? await handleAllAtOnce(orm, spec, env, live)
      : await handleInOneTransaction(orm, spec, env, live);
  } catch (e) {
    env.log.info({ err: e, consumer: spec.name, events: live.length }, 'a batch of events failed; handling them one by one');
    await Promise.all(live.map(async (entry) => entry.settle(await entry.inContext(() => deliverOne(entry.m)))));
    await Promise.all(observed);
    return;
  }
  const { handled, notReady } = outcome;
  for (const entry of live) {
    const waiting = notReady.get(entry);
    if (waiting) {
      entry.settle(entry.inContext(() => failed(entry.m, waiting, entry.event!.id, spec, env.log)));
      continue;
    }
    entry.m.ack();
    entry.settle(handled.has(entry) ? 'ok' : 'duplicate');
  }
  if (handled.size > 0 && eventsRecordedSoFar() !== recordedBefore) afterCommit();
  await Promise.all(observed);
}

/** A self-idempotent consumer's batch: one `handleAll` call with every event, no transaction, no inbox. */
async function handleAllAtOnce(
  orm: MikroORM, spec: ConsumerSpec<any>, env: ConsumerEnv, live: Entry[],
): Promise<{ handled: Set<Entry>; notReady: Map<Entry, EventNotReady> }> {
  await spec.handleAll!(orm.em.fork(), live.map((e) => e.event!), env);
  return { handled: new Set(live), notReady: new Map() };
}

/**
 * The batch in one transaction with its inbox rows. An event whose handler
 * throws EventNotReady (having written nothing) gives its inbox row back in
 * the same transaction and is redelivered on its own; the others commit.
 */
async function handleInOneTransaction(
  orm: MikroORM, spec: ConsumerSpec<any>, env: ConsumerEnv, live: Entry[],
): Promise<{ handled: Set<Entry>; notReady: Map<Entry, EventNotReady> }> {
  const notReady = new Map<Entry, EventNotReady>();
  const handled = await transactionalThen(orm.em.fork(), async (em) => {
    notReady.clear();
    const claimed = await em.execute<{ event_id: string }[]>(
      // The ids as one JSON parameter: a statement of scalar parameters, prepared once, whatever the batch's size.
      `INSERT INTO processed_events (consumer, event_id, processed_at)
       SELECT ?, id::uuid, now() FROM jsonb_array_elements_text(?::jsonb) AS id ON CONFLICT DO NOTHING RETURNING event_id`,
      [spec.name, JSON.stringify(live.map((e) => e.event!.id))]);
    const unclaimed = new Set(claimed.map((r) => String(r.event_id).toLowerCase()));
    const fresh = new Set<Entry>();
    for (const entry of live) {
      // A second delivery of one event in the same batch is claimed once: only its first copy is handled.
      if (!unclaimed.delete(String(entry.event!.id).toLowerCase())) continue;
      try {
        await entry.inContext(() => spec.handle(em, entry.event!, env));
      } catch (e) {
        if (!(e instanceof EventNotReady)) throw e;
        notReady.set(entry, e);
        continue;
      }
      await em.flush();
      fresh.add(entry);
    }
    if (notReady.size) {
      await em.execute('DELETE FROM processed_events WHERE consumer = ? AND event_id IN (SELECT id::uuid FROM jsonb_array_elements_text(?::jsonb) AS id)',
        [spec.name, JSON.stringify([...notReady.keys()].map((e) => e.event!.id))]);
    }
    return fresh;
  });
  return { handled, notReady };
}
