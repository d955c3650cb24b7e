import { MikroORM } from '@mikro-orm/postgresql';
import { Migration } from '@mikro-orm/migrations';
import { NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, JsMsg, jetstream, jetstreamManager } from '@nats-io/jetstream';
import {
  ConsumerSpec, RunningConsumer, eventTablesMigration, handleBatch, singleDelivery, startConsumer, streamName, subjectOf,
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

const spec: ConsumerSpec<'inventory.stock.changed'> = {
  name: 'test-batched',
  type: 'inventory.stock.changed',
  batched: true,
  async handle(em, event) {
    const { productId } = event.data;
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

async function publish(productIds: string[]): Promise<void> {
  const js = jetstream(nc);
  for (const productId of productIds) {
    const event = stockChangedEvent(productId);
    await js.publish(subjectOf(config.eventPrefix, event.type), JSON.stringify(event), { msgID: event.id });
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
});
