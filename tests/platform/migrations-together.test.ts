import { MikroORM } from '@mikro-orm/postgresql';
import { createLogger, databaseName, dropDatabase, initORM } from '@shop/platform';
import { orders } from '@shop/orders';
import { testConfig } from '../support/stack';

/**
 * Replicas of a subgraph that start together (a first install, a scale-up
 * during a rollout) open one database that has no tables yet: each applies
 * its migrations in turn, and every one of them starts.
 */
describe('replicas migrating one new database at once', () => {
  const config = testConfig();
  const dbName = databaseName(config, 'orders');
  const log = createLogger('test', 'silent');
  let opened: MikroORM[] = [];

  afterAll(async () => {
    for (const orm of opened) await orm.close(true);
    await dropDatabase(config, dbName);
  });

  it('all start, and the migrations ran once', async () => {
    const starts = await Promise.allSettled(Array.from({ length: 3 }, () =>
      initORM({ config, dbName, entities: orders.entities, migrations: orders.migrations, log, poolMax: 2 })));
    opened = starts.flatMap((s) => (s.status === 'fulfilled' ? [s.value.orm] : []));
    expect(starts.map((s) => (s.status === 'rejected' ? String(s.reason) : 'started'))).toEqual(['started', 'started', 'started']);
    const applied: { name: string; n: string }[] = await opened[0]!.em.fork().getConnection()
      .execute('SELECT name, count(*) AS n FROM mikro_orm_migrations GROUP BY name');
    expect(applied.length).toBe(orders.migrations.length);
    expect(applied.every((m) => Number(m.n) === 1)).toBe(true);
  });
});
