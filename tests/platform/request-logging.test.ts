import { MikroORM } from '@mikro-orm/postgresql';
import { NatsConnection, headers } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { register } from 'prom-client';
import {
  RunningConsumer, connectNats, createLogger, currentRequestId, databaseName, deleteStream, dropDatabase, ensureStream,
  eventTablesMigration, eventTracingMigration, initORM, newId, outsideRequest, requestIdFrom, startConsumer, subjectOf, withRequestId,
} from '@shop/platform';
import { testConfig } from '../support/stack';
import { eventually } from '../support/eventually';
import { logLines } from '../support/log-lines';


async function metric(name: string, labels: Record<string, string>): Promise<number | undefined> {
  const values = (await register.getSingleMetric(name)!.get()).values;
  return values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value;
}

describe('request ids', () => {
  it('keeps a printable id of at most 128 characters, replaces anything else', () => {
    expect(requestIdFrom('abc-123_:./=')).toBe('abc-123_:./=');
    expect(requestIdFrom(['first', 'second'])).toBe('first');
    for (const bad of [undefined, '', 'a b', 'x'.repeat(129), 'tab\there', 'é', 'line\nbreak', 42]) {
      expect(requestIdFrom(bad)).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(requestIdFrom('x'.repeat(128))).toHaveLength(128);
  });

  it('is on every log line written while a request is handled, by any child logger, and on none outside', async () => {
    const { lines, stream } = logLines();
    const log = createLogger('svc', 'info', { destination: stream });
    await withRequestId('req-42', async () => {
      log.info('direct');
      await new Promise((r) => setTimeout(r, 5));
      log.child({ part: 'x' }).warn('after a timer, from a child');
      outsideRequest(() => log.info('outside'));
    });
    log.info('after');
    expect(lines.map((l) => [l.msg, l.requestId])).toEqual([
      ['direct', 'req-42'], ['after a timer, from a child', 'req-42'], ['outside', undefined], ['after', undefined],
    ]);
    expect(currentRequestId()).toBeUndefined();
  });
});

describe('a consumer handles an event as part of the request that caused it', () => {
  const config = testConfig();
  const dbName = databaseName(config, 'inventory');
  const { lines, stream } = logLines();
  const log = createLogger('consumer', 'info', { destination: stream });
  let orm: MikroORM;
  let nc: NatsConnection;
  let consumer: RunningConsumer;
  let failFirst = true;

  beforeAll(async () => {
    ({ orm } = await initORM({ config, dbName, entities: [], migrations: [eventTablesMigration, eventTracingMigration], log }));
    nc = await connectNats(config, 'request-logging-test');
    await ensureStream(nc, config.eventPrefix);
    consumer = await startConsumer(orm, nc, config, {
      name: 'obs-logger',
      type: 'inventory.stock.changed',
      async handle(_em, event, env) {
        env.log.info({ productId: event.data.productId }, 'handling');
        if (failFirst) { failFirst = false; throw new Error('first attempt fails'); }
      },
    }, log);
  });
  afterAll(async () => {
    await consumer?.stop();
    await deleteStream(nc, config.eventPrefix);
    await nc?.drain();
    await orm?.close(true);
    await dropDatabase(config, dbName);
  });

  it('logs with the x-request-id of the message, through a redelivery, and counts outcomes and the redelivery', async () => {
    const h = headers();
    h.set('x-request-id', 'checkout-req-7');
    const event = {
      id: newId(), type: 'inventory.stock.changed', occurredAt: new Date().toISOString(),
      data: { productId: 'p-1', onHand: 1, reserved: 0, available: 1, reason: 'SET_STOCK', version: 1 },
    };
    await jetstream(nc).publish(subjectOf(config.eventPrefix, 'inventory.stock.changed'), JSON.stringify(event), { msgID: event.id, headers: h });
    await eventually(async () => (await metric('shop_events_handled_total', { consumer: 'obs-logger', outcome: 'ok' })) === 1, 'handled after a retry');
    const handling = lines.filter((l) => l.msg === 'handling' || l.msg === 'event handling failed; redelivering');
    expect(handling.length).toBe(3);
    expect(handling.every((l) => l.requestId === 'checkout-req-7')).toBe(true);
    expect(await metric('shop_events_handled_total', { consumer: 'obs-logger', outcome: 'retry' })).toBe(1);
    expect(await metric('shop_event_redeliveries_total', { consumer: 'obs-logger' })).toBe(1);
    expect(await metric('shop_consumer_pending_events', { consumer: 'obs-logger' })).toBeGreaterThanOrEqual(0);
  });
});
