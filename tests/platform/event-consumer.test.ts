import { MikroORM } from '@mikro-orm/postgresql';
import { Migration } from '@mikro-orm/migrations';
import { NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { RunningConsumer, eventTablesMigration, removeConsumers, startConsumer, streamName, subjectOf } from '@shop/platform';
import { EventTestbed, stockChangedEvent } from '../support/event-testbed';
import { eventually } from '../support/eventually';

class CountersMigration extends Migration {
  override async up(): Promise<void> {
    this.addSql('CREATE TABLE counters (product_id text PRIMARY KEY, handled int NOT NULL)');
  }
}

const bed = new EventTestbed('catalog', [eventTablesMigration, { name: 'Counters', class: CountersMigration }]);
const { config, log } = bed;
let orm: MikroORM;
let nc: NatsConnection;
let consumer: RunningConsumer;
let failuresLeft = 0;

async function handled(productId: string): Promise<number> {
  const rows = await orm.em.fork().getConnection().execute('SELECT handled FROM counters WHERE product_id = ?', [productId]);
  return rows[0]?.handled ?? 0;
}

beforeAll(async () => {
  ({ orm, nc } = await bed.open('consumer-test'));
  consumer = await startConsumer(orm, nc, config, {
    name: 'test-counter',
    type: 'inventory.stock.changed',
    async handle(em, event) {
      await em.execute(
        'INSERT INTO counters (product_id, handled) VALUES (?, 1) ON CONFLICT (product_id) DO UPDATE SET handled = counters.handled + 1',
        [event.data.productId]);
      if (failuresLeft > 0) { failuresLeft -= 1; throw new Error('handler failed after writing'); }
    },
  }, log, { concurrency: 4 });
});

afterAll(async () => {
  await consumer.stop();
  await bed.close();
});

describe('event consumer', () => {
  it('changes nothing when the same event is delivered twice', async () => {
    const event = stockChangedEvent('twice');
    const js = jetstream(nc);
    // Published without a message id, so JetStream keeps both copies, as after a redelivery.
    await js.publish(subjectOf(config.eventPrefix, event.type), JSON.stringify(event));
    await js.publish(subjectOf(config.eventPrefix, event.type), JSON.stringify(event));
    const marker = stockChangedEvent('marker');
    await js.publish(subjectOf(config.eventPrefix, marker.type), JSON.stringify(marker));
    await eventually(async () => (await handled('marker')) === 1);
    // Both copies were delivered and acknowledged.
    const jsm = await jetstreamManager(nc);
    await eventually(async () => {
      const info = await jsm.consumers.info(streamName(config.eventPrefix), 'test-counter');
      return info.delivered.stream_seq >= 3 && info.num_pending === 0 && info.num_ack_pending === 0;
    });
    expect(await handled('twice')).toBe(1);
  });

  it('rolls back a failed handler and redelivers the event until it succeeds, once', async () => {
    failuresLeft = 2;
    const event = stockChangedEvent('flaky');
    await jetstream(nc).publish(subjectOf(config.eventPrefix, event.type), JSON.stringify(event), { msgID: event.id });
    await eventually(async () => (await handled('flaky')) > 0);
    expect(failuresLeft).toBe(0);
    expect(await handled('flaky')).toBe(1);
  });
});

describe('a consumer taking over from a retired one', () => {
  it('starts at its creation, and the retired durable consumer is deleted', async () => {
    const jsm = await jetstreamManager(nc);
    const stream = streamName(config.eventPrefix);
    const js = jetstream(nc);
    const before = stockChangedEvent('before-takeover');
    await js.publish(subjectOf(config.eventPrefix, before.type), JSON.stringify(before), { msgID: before.id });
    await jsm.consumers.add(stream, { durable_name: 'test-retired', ack_policy: AckPolicy.Explicit });

    await removeConsumers(nc, config.eventPrefix, ['test-retired', 'test-never-existed']);
    await expect(jsm.consumers.info(stream, 'test-retired')).rejects.toThrow(/not found/i);
    const successor = await startConsumer(orm, nc, config, {
      name: 'test-successor',
      type: 'inventory.stock.changed',
      startsAtCreation: true,
      async handle(em, event) {
        await em.execute('INSERT INTO counters (product_id, handled) VALUES (?, 100) ON CONFLICT DO NOTHING', [`successor-${event.data.productId}`]);
      },
    }, log);
    try {
      const after = stockChangedEvent('after-takeover');
      await js.publish(subjectOf(config.eventPrefix, after.type), JSON.stringify(after), { msgID: after.id });
      await eventually(async () => (await handled('successor-after-takeover')) === 100, 'the event after the takeover handled');
      expect(await handled('successor-before-takeover')).toBe(0);
    } finally {
      await successor.stop();
    }
  });
});
