import { MikroORM } from '@mikro-orm/postgresql';
import { NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, JetStreamClient } from '@nats-io/jetstream';
import { OutboxRelay, Publisher, eventTablesMigration, eventTracingMigration, recordEvent, streamName } from '@shop/platform';
import { EventTestbed } from '../support/event-testbed';

const bed = new EventTestbed('accounts', [eventTablesMigration, eventTracingMigration]);
const { config, log } = bed;
let orm: MikroORM;
let nc: NatsConnection;

beforeAll(async () => {
  ({ orm, nc } = await bed.open('relay-test'));
});

afterAll(() => bed.close());

async function recordStockEvents(count: number): Promise<string[]> {
  const em = orm.em.fork();
  const ids = await em.transactional(async (tx) => Array.from({ length: count }, (_, i) =>
    recordEvent(tx, 'inventory.stock.changed', { productId: `p${i}`, onHand: i, reserved: 0, available: i, reason: 'SET_STOCK', version: i + 1 }).id));
  return ids;
}

/** Every message id in the stream, in order. */
async function streamMessageIds(): Promise<string[]> {
  const jsm = await jetstreamManager(nc);
  const info = await jsm.streams.info(streamName(config.eventPrefix));
  const ids: string[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    const msg = await jsm.streams.getMessage(streamName(config.eventPrefix), { seq });
    if (msg) ids.push(msg.json<{ id: string }>().id);
  }
  return ids;
}

/** A JetStream client that dies after `n` publishes, the way a relay process crashes mid-batch. */
function crashingAfter(n: number, js: JetStreamClient): Publisher {
  let left = n;
  return {
    publish: ((subject: string, data: any, opts: any) => {
      if (left-- <= 0) throw new Error('relay process crashed');
      return js.publish(subject, data, opts);
    }) as JetStreamClient['publish'],
  };
}

describe('outbox relay', () => {
  it('publishes each event exactly once even when restarted mid-batch', async () => {
    const ids = await recordStockEvents(30);
    const crashing = new OutboxRelay(orm, crashingAfter(12, jetstream(nc)), config.eventPrefix, log, 50, 20);
    await expect(crashing.publishBatch()).rejects.toThrow('relay process crashed');
    // 12 events reached the stream but none was marked sent: the restarted relay publishes them again.
    expect(await orm.em.fork().getConnection().execute('SELECT count(*)::int AS n FROM outbox_events WHERE published_at IS NULL'))
      .toEqual([{ n: 30 }]);

    const restarted = new OutboxRelay(orm, jetstream(nc), config.eventPrefix, log, 50, 20);
    expect(await restarted.publishBatch()).toBe(20);
    expect(await restarted.publishBatch()).toBe(10);
    expect(await restarted.publishBatch()).toBe(0);

    const published = await streamMessageIds();
    expect(published).toEqual(ids);
    expect(new Set(published).size).toBe(30);
  });

  it('gives its connection back to the pool after every pass, committed or rolled back', async () => {
    await recordStockEvents(3);
    // More failing passes than the pool has connections: one kept by a rolled-back pass would starve the next ones.
    for (let i = 0; i < config.postgres.poolMax * 3; i++) {
      const failing = new OutboxRelay(orm, crashingAfter(1, jetstream(nc)), config.eventPrefix, log, 50, 20);
      await expect(failing.publishBatch()).rejects.toThrow('relay process crashed');
    }
    const relay = new OutboxRelay(orm, jetstream(nc), config.eventPrefix, log, 50, 20);
    expect(await relay.publishBatch()).toBe(3);
    expect(await orm.em.fork().getConnection().execute('SELECT count(*)::int AS n FROM outbox_events WHERE published_at IS NULL'))
      .toEqual([{ n: 0 }]);
  });

  it('recovers when the database ends its connection in the middle of a pass', async () => {
    await recordStockEvents(2);
    const js = jetstream(nc);
    // The first publish ends the relay's own backend (idle in its transaction): the pass fails, its connection is gone.
    let cut = false;
    const cutting: Publisher = {
      publish: (async (subject: string, data: any, opts: any) => {
        if (!cut) {
          cut = true;
          await orm.em.fork().getConnection().execute(
            `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE datname = current_database() AND state = 'idle in transaction' AND query LIKE 'UPDATE outbox_events%'`);
        }
        return js.publish(subject, data, opts);
      }) as JetStreamClient['publish'],
    };
    await expect(new OutboxRelay(orm, cutting, config.eventPrefix, log, 50, 20).publishBatch()).rejects.toThrow();
    expect(cut).toBe(true);
    // The next pass gets a working connection, not the ended one, and publishes what the cut pass left.
    expect(await new OutboxRelay(orm, js, config.eventPrefix, log, 50, 20).publishBatch()).toBe(2);
  });

  it('lets two relays run side by side without publishing an event twice', async () => {
    const before = (await streamMessageIds()).length;
    const ids = await recordStockEvents(50);
    const a = new OutboxRelay(orm, jetstream(nc), config.eventPrefix, log, 50, 5);
    const b = new OutboxRelay(orm, jetstream(nc), config.eventPrefix, log, 50, 5);
    let total = 0;
    for (;;) {
      const [x, y] = await Promise.all([a.publishBatch(), b.publishBatch()]);
      total += x + y;
      if (x + y === 0) break;
    }
    expect(total).toBe(50);
    const published = (await streamMessageIds()).slice(before);
    expect([...published].sort()).toEqual([...ids].sort());
  });
});
