import { MikroORM } from '@mikro-orm/postgresql';
import { Migration } from '@mikro-orm/migrations';
import { NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, DeliverPolicy, JsMsg, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { headers } from '@nats-io/transport-node';
import {
  ConsumerSpec, EventNotReady, RunningConsumer, afterCommit, currentRequestId, eventTablesMigration, handleBatch, singleDelivery, startConsumer,
  streamName, subjectOf,
} from '@shop/platform';
import { EventTestbed, stockChangedEvent } from '../support/event-testbed';
import { eventually } from '../support/eventually';

class CountersMigration extends Migration {
  override async up(): Promise<void> {
    this.addSql('CREATE TABLE counters (product_id text PRIMARY KEY, handled int NOT NULL, tx bigint NOT NULL)');
  }
}

const bed = new EventTestbed('inventory', [eventTablesMigration, { name: 'Counters', class: CountersMigration }]);
const { config, log } = bed;
const env = { config, log };
let orm: MikroORM;
let nc: NatsConnection;
/** Product ids whose handler throws (after writing), with how many more times. */
const failing = new Map<string, number>();
/** Product ids whose handler finds what it needs missing (and throws EventNotReady before writing), with how many more times. */
const early = new Map<string, number>();
/** Product ids in the order their after-commit callbacks ran. */
const committed: string[] = [];

const spec: ConsumerSpec<'inventory.stock.changed'> = {
  name: 'test-batched',
  type: 'inventory.stock.changed',
  batched: true,
  async handle(em, event) {
    const { productId } = event.data;
    const waits = early.get(productId) ?? 0;
    if (waits > 0) { early.set(productId, waits - 1); throw new EventNotReady(`${productId} not ready`); }
    afterCommit(em, () => committed.push(productId));
    await em.execute(
      `INSERT INTO counters (product_id, handled, tx) VALUES (?, 1, txid_current())
       ON CONFLICT (product_id) DO UPDATE SET handled = counters.handled + 1, tx = txid_current()`, [productId]);
    const left = failing.get(productId) ?? 0;
    if (left > 0) { failing.set(productId, left - 1); throw new Error('handler failed after writing'); }
  },
};

async function counters(ids: string[]): Promise<Map<string, { handled: number; tx: string }>> {
  const rows = await orm.em.fork().getConnection().execute('SELECT product_id, handled, tx FROM counters WHERE product_id IN (?)', [ids]);
  return new Map(rows.map((r: any) => [r.product_id, { handled: r.handled, tx: String(r.tx) }]));
}

async function createDurable(name: string): Promise<void> {
  const jsm = await jetstreamManager(nc);
  await jsm.consumers.add(streamName(config.eventPrefix), {
    durable_name: name, ack_policy: AckPolicy.Explicit, filter_subject: subjectOf(config.eventPrefix, 'inventory.stock.changed'),
    deliver_policy: DeliverPolicy.New,
  });
}

/** Publishes one event per product, each recorded under the request id `req-<product>` when `withRequestIds`. */
async function publish(productIds: string[], withRequestIds = false): Promise<void> {
  const js = jetstream(nc);
  for (const productId of productIds) {
    const event = stockChangedEvent(productId);
    const h = withRequestIds ? headers() : undefined;
    h?.set('x-request-id', `req-${productId}`);
    await js.publish(subjectOf(config.eventPrefix, event.type), JSON.stringify(event), { msgID: event.id, headers: h });
  }
}

/** Pulls `n` deliveries from a durable consumer of our own, as the running consumer's pull would hand them over. */
async function pull(durable: string, n: number): Promise<JsMsg[]> {
  const consumer = await jetstream(nc).consumers.get(streamName(config.eventPrefix), durable);
  const out: JsMsg[] = [];
  while (out.length < n) {
    const batch = await consumer.fetch({ max_messages: n - out.length, expires: 2000 });
    for await (const m of batch) out.push(m);
  }
  return out;
}

beforeAll(async () => {
  ({ orm, nc } = await bed.open('batched-consumer-test'));
});

afterAll(() => bed.close());

describe('batched event consumer', () => {
  it('handles a batch in one transaction; a failure halfway changes nothing, then each event is handled exactly once', async () => {
    const jsm = await jetstreamManager(nc);
    await jsm.consumers.add(streamName(config.eventPrefix), {
      durable_name: 'test-batched', ack_policy: AckPolicy.Explicit, filter_subject: subjectOf(config.eventPrefix, 'inventory.stock.changed'),
    });
    const deliverOne = singleDelivery(orm, spec, env, () => undefined);

    await publish(['a1', 'a2', 'a3']);
    await handleBatch(orm, spec, env, await pull('test-batched', 3), deliverOne, () => undefined);
    const first = await counters(['a1', 'a2', 'a3']);
    expect([...first.values()].map((c) => c.handled)).toEqual([1, 1, 1]);
    expect(new Set([...first.values()].map((c) => c.tx)).size).toBe(1);

    // b3 fails in the batch (after b1 and b2 wrote) and once more alone: the batch is rolled back, the others are
    // handled one by one, and b3 is redelivered.
    failing.set('b3', 2);
    await publish(['b1', 'b2', 'b3', 'b4']);
    await handleBatch(orm, spec, env, await pull('test-batched', 4), deliverOne, () => undefined);
    const second = await counters(['b1', 'b2', 'b3', 'b4']);
    expect(second.get('b1')?.handled).toBe(1);
    expect(second.get('b2')?.handled).toBe(1);
    expect(second.get('b4')?.handled).toBe(1);
    expect(second.has('b3')).toBe(false);
    expect(new Set([...second.values()].map((c) => c.tx)).size).toBe(3);

    const [again] = await pull('test-batched', 1);
    expect(again!.info.deliveryCount).toBe(2);
    await handleBatch(orm, spec, env, [again!], deliverOne, () => undefined);
    expect((await counters(['b3'])).get('b3')?.handled).toBe(1);
    expect(failing.get('b3')).toBe(0);
    await jsm.consumers.delete(streamName(config.eventPrefix), 'test-batched');
  });

  it('acks the events a consumer is not concerned with, without a transaction or an inbox row, in a batch and alone', async () => {
    const jsm = await jetstreamManager(nc);
    await createDurable('test-concerns');
    const picky: ConsumerSpec<'inventory.stock.changed'> = { ...spec, name: 'test-concerns', concerns: (e) => !e.data.productId.startsWith('skip') };
    const deliverOne = singleDelivery(orm, picky, env, () => undefined);
    await publish(['skip-1', 'keep-1', 'skip-2']);
    await handleBatch(orm, picky, env, await pull('test-concerns', 3), deliverOne, () => undefined);
    await publish(['skip-3']);
    await handleBatch(orm, picky, env, await pull('test-concerns', 1), deliverOne, () => undefined);
    expect([...(await counters(['skip-1', 'keep-1', 'skip-2', 'skip-3'])).keys()]).toEqual(['keep-1']);
    const inbox = await orm.em.fork().getConnection().execute("SELECT count(*)::int AS n FROM processed_events WHERE consumer = 'test-concerns'");
    expect(inbox).toEqual([{ n: 1 }]);
    const info = await jsm.consumers.info(streamName(config.eventPrefix), 'test-concerns');
    expect([info.num_pending, info.num_ack_pending]).toEqual([0, 0]);
    await jsm.consumers.delete(streamName(config.eventPrefix), 'test-concerns');
  });

  it('runs as a consumer: every event handled once, a second copy of one changes nothing', async () => {
    let consumer: RunningConsumer | null = null;
    try {
      const ids = Array.from({ length: 30 }, (_, i) => `c${i}`);
      await publish(ids);
      // The same event twice, without a message id, as a redelivery would bring it.
      const event = stockChangedEvent('twice');
      await jetstream(nc).publish(subjectOf(config.eventPrefix, 'inventory.stock.changed'), JSON.stringify(event));
      await jetstream(nc).publish(subjectOf(config.eventPrefix, 'inventory.stock.changed'), JSON.stringify(event));
      consumer = await startConsumer(orm, nc, config, { ...spec, name: 'test-batched-running' }, log);
      const all = [...ids, 'twice'];
      await eventually(async () => (await counters(all)).size === all.length, 'every event handled');
      const jsm = await jetstreamManager(nc);
      await eventually(async () => {
        const info = await jsm.consumers.info(streamName(config.eventPrefix), 'test-batched-running');
        return info.num_pending === 0 && info.num_ack_pending === 0;
      }, 'every delivery acknowledged');
      // (It reads the stream from its start, so it also handles the first test's events again, under its own name.)
      const handled = await counters(all);
      expect([...handled.values()].every((c) => c.handled === 1)).toBe(true);
    } finally {
      await consumer?.stop();
    }
  });
  it('commits the rest of a batch when one event is not ready yet, and redelivers only that one', async () => {
    await createDurable('test-not-ready');
    const deliverOne = singleDelivery(orm, spec, env, () => undefined);
    early.set('d2', 1);
    await publish(['d1', 'd2', 'd3']);
    await handleBatch(orm, spec, env, await pull('test-not-ready', 3), deliverOne, () => undefined);
    const first = await counters(['d1', 'd2', 'd3']);
    expect(first.get('d1')?.handled).toBe(1);
    expect(first.get('d3')?.handled).toBe(1);
    expect(first.get('d1')?.tx).toBe(first.get('d3')?.tx);
    expect(first.has('d2')).toBe(false);

    // Its inbox row went back with the rest of the transaction: the redelivery is handled.
    const [again] = await pull('test-not-ready', 1);
    expect(again!.info.deliveryCount).toBe(2);
    expect(again!.json<{ data: { productId: string } }>().data.productId).toBe('d2');
    await handleBatch(orm, spec, env, [again!], deliverOne, () => undefined);
    expect((await counters(['d2'])).get('d2')?.handled).toBe(1);
    await (await jetstreamManager(nc)).consumers.delete(streamName(config.eventPrefix), 'test-not-ready');
  });

  it('runs after-commit work once per committed event, none for a batch that was rolled back', async () => {
    await createDurable('test-after-commit');
    const deliverOne = singleDelivery(orm, spec, env, () => undefined);
    committed.length = 0;
    failing.set('e2', 1);
    await publish(['e1', 'e2', 'e3']);
    await handleBatch(orm, spec, env, await pull('test-after-commit', 3), deliverOne, () => undefined);
    // The batch failed on e2 and was rolled back; each event then ran alone, e2 successfully on its second try.
    expect((await counters(['e1', 'e2', 'e3'])).size).toBe(3);
    expect([...committed].sort()).toEqual(['e1', 'e2', 'e3']);
    await (await jetstreamManager(nc)).consumers.delete(streamName(config.eventPrefix), 'test-after-commit');
  });

  it('hands a self-idempotent consumer its whole batch at once, and each event alone when that fails', async () => {
    await createDurable('test-handle-all');
    const calls: string[][] = [];
    let failAll = false;
    const upsert = (em: Parameters<ConsumerSpec['handle']>[0], ids: string[]) => em.execute(
      `INSERT INTO counters (product_id, handled, tx) SELECT id, 1, txid_current() FROM unnest(?::text[]) AS id
       ON CONFLICT (product_id) DO UPDATE SET handled = counters.handled + 1, tx = txid_current()`, [`{${ids.join(',')}}`]);
    const all: ConsumerSpec<'inventory.stock.changed'> = {
      name: 'test-handle-all',
      type: 'inventory.stock.changed',
      idempotentByItself: true,
      async handle(em, event) {
        calls.push([event.data.productId]);
        await upsert(em, [event.data.productId]);
      },
      async handleAll(em, events) {
        calls.push(events.map((e) => e.data.productId));
        if (failAll) throw new Error('the batch statement failed');
        await upsert(em, events.map((e) => e.data.productId));
      },
    };
    const deliverOne = singleDelivery(orm, all, env, () => undefined);
    await publish(['f1', 'f2', 'f3']);
    await handleBatch(orm, all, env, await pull('test-handle-all', 3), deliverOne, () => undefined);
    expect(calls).toEqual([['f1', 'f2', 'f3']]);
    expect([...(await counters(['f1', 'f2', 'f3'])).values()].map((c) => c.handled)).toEqual([1, 1, 1]);

    calls.length = 0;
    failAll = true;
    await publish(['g1', 'g2']);
    await handleBatch(orm, all, env, await pull('test-handle-all', 2), deliverOne, () => undefined);
    expect(calls.map((c) => c.join(','))).toEqual(expect.arrayContaining(['g1,g2', 'g1', 'g2']));
    expect(calls).toHaveLength(3);
    expect([...(await counters(['g1', 'g2'])).values()].map((c) => c.handled)).toEqual([1, 1]);
    await eventually(async () => {
      const info = await (await jetstreamManager(nc)).consumers.info(streamName(config.eventPrefix), 'test-handle-all');
      return info.num_ack_pending === 0 && info.num_pending === 0;
    }, 'every delivery acknowledged');
    await (await jetstreamManager(nc)).consumers.delete(streamName(config.eventPrefix), 'test-handle-all');
  });

  it('handles each event of a batch under its own request id, in the batch and alone after the batch failed', async () => {
    await createDurable('test-request-ids');
    const seen: [string, string | undefined][] = [];
    const tracing: ConsumerSpec<'inventory.stock.changed'> = {
      ...spec,
      name: 'test-request-ids',
      async handle(em, event, e) {
        seen.push([event.data.productId, currentRequestId()]);
        await spec.handle(em, event, e);
      },
    };
    const deliverOne = singleDelivery(orm, tracing, env, () => undefined);
    await publish(['h1', 'h2', 'h3'], true);
    await handleBatch(orm, tracing, env, await pull('test-request-ids', 3), deliverOne, () => undefined);
    expect(seen).toEqual([['h1', 'req-h1'], ['h2', 'req-h2'], ['h3', 'req-h3']]);

    seen.length = 0;
    failing.set('i2', 1);
    await publish(['i1', 'i2'], true);
    await handleBatch(orm, tracing, env, await pull('test-request-ids', 2), deliverOne, () => undefined);
    // In the batch (rolled back at i2), then each alone.
    expect(seen.slice(0, 2)).toEqual([['i1', 'req-i1'], ['i2', 'req-i2']]);
    expect(seen.slice(2).sort()).toEqual([['i1', 'req-i1'], ['i2', 'req-i2']]);
    expect(currentRequestId()).toBeUndefined();
    await (await jetstreamManager(nc)).consumers.delete(streamName(config.eventPrefix), 'test-request-ids');
  });
});
