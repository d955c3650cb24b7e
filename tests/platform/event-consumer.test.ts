import { MikroORM } from '@mikro-orm/postgresql';
import { register } from 'prom-client';
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

/** What the consumer's deliveries came to (`shop_events_handled_total`). */
async function outcomes(consumer: string, outcome: string): Promise<number> {
  const values = (await register.getSingleMetric('shop_events_handled_total')!.get()).values;
  return values.find((v) => v.labels.consumer === consumer && v.labels.outcome === outcome)?.value ?? 0;
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

describe('a consumer handling an event in one statement with its inbox row', () => {
  it('applies each event once, hands the ones it cannot do to handle, and changes nothing when its statement fails', async () => {
    const js = jetstream(nc);
    let failNext = 1;
    const viaHandle: string[] = [];
    const atOnce = await startConsumer(orm, nc, config, {
      name: 'test-at-once',
      type: 'inventory.stock.changed',
      async handleAtOnce(em, event, _env, inbox) {
        const key = `at-once-${event.data.productId}`;
        if (event.data.productId === 'ao-slow') return 'use handle';
        // A failing statement: the counter's row is written in a CTE, then the cast fails; nothing of it stays.
        const fail = failNext > 0 && event.data.productId === 'ao-flaky';
        if (fail) failNext -= 1;
        await em.execute(
          `WITH ${inbox.seenCte}bump AS (
             INSERT INTO counters (product_id, handled) SELECT ?, 1 WHERE true ${inbox.unseen}
             ON CONFLICT (product_id) DO UPDATE SET handled = counters.handled + 1 RETURNING product_id
           )${inbox.claimCte('bump')}
           SELECT ${fail ? "'not a number'::text::int" : '1'}`,
          [...inbox.seenParams, key, ...inbox.claimParams]);
        return 'handled';
      },
      async handle(em, event) {
        viaHandle.push(event.data.productId);
        await em.execute('INSERT INTO counters (product_id, handled) VALUES (?, 1)', [`at-once-${event.data.productId}`]);
      },
    }, log);
    try {
      const twice = stockChangedEvent('ao-twice');
      await js.publish(subjectOf(config.eventPrefix, twice.type), JSON.stringify(twice));
      await js.publish(subjectOf(config.eventPrefix, twice.type), JSON.stringify(twice));
      const ids = [twice.id];
      for (const id of ['ao-flaky', 'ao-slow']) {
        const event = stockChangedEvent(id);
        ids.push(event.id);
        await js.publish(subjectOf(config.eventPrefix, event.type), JSON.stringify(event), { msgID: event.id });
      }
      await eventually(async () => (await handled('at-once-ao-flaky')) === 1 && (await handled('at-once-ao-slow')) === 1, 'all handled');
      const jsm = await jetstreamManager(nc);
      await eventually(async () => {
        const info = await jsm.consumers.info(streamName(config.eventPrefix), 'test-at-once');
        return info.num_pending === 0 && info.num_ack_pending === 0;
      }, 'all acked');
      expect(await handled('at-once-ao-twice')).toBe(1);

      // A copy handled elsewhere claims the event while this statement runs: the statement fails on the inbox, writes nothing, and is acked.
      const raced = stockChangedEvent('ao-raced');
      const [duplicates, retries] = [await outcomes('test-at-once', 'duplicate'), await outcomes('test-at-once', 'retry')];
      let release!: () => void;
      const held = new Promise<void>((resolve) => { release = resolve; });
      let claimed!: () => void;
      const claiming = new Promise<void>((resolve) => { claimed = resolve; });
      const other = orm.em.fork().transactional(async (tx) => {
        await tx.execute("INSERT INTO processed_events (consumer, event_id, processed_at) VALUES ('test-at-once', ?, now())", [raced.id]);
        claimed();
        await held;
      });
      await claiming;
      await js.publish(subjectOf(config.eventPrefix, raced.type), JSON.stringify(raced), { msgID: raced.id });
      await eventually(async () => (await orm.em.fork().getConnection().execute(
        "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")).length > 0, 'the statement waiting on the claim');
      release();
      await other;
      await eventually(async () => {
        const info = await jsm.consumers.info(streamName(config.eventPrefix), 'test-at-once');
        return info.num_pending === 0 && info.num_ack_pending === 0;
      }, 'the raced copy acked');
      expect(await handled('at-once-ao-raced')).toBe(0);
      // Acked as a duplicate, not sent again.
      expect(await outcomes('test-at-once', 'duplicate')).toBe(duplicates + 1);
      expect(await outcomes('test-at-once', 'retry')).toBe(retries);
      expect(failNext).toBe(0);
      expect(viaHandle).toEqual(['ao-slow']);
      const claims = await orm.em.fork().getConnection().execute(
        "SELECT count(*)::int AS n FROM processed_events WHERE consumer = 'test-at-once' AND event_id IN (?)", [ids]);
      expect(claims[0].n).toBe(3);
    } finally {
      await atOnce.stop();
    }
  });
});
