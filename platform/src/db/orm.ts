import { EntitySchema, MikroORM, PostgreSqlDriver } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { MigrationObject } from '@mikro-orm/core';
import { PlatformConfig } from '../config';
import { Logger } from '../logger';
import { ensureDatabase, whileHoldingMigrationLock } from './database';
import { preparingConnections, sendingParameters } from './prepared';
import { eventEntities } from '../events/event.entities';
import { dbStatements } from '../observability/metrics';

export interface OrmOptions {
  config: PlatformConfig;
  dbName: string;
  entities: EntitySchema<any>[];
  migrations: MigrationObject[];
  log: Logger;
  poolMax?: number;
}

/** Counts the SQL statements a connection runs; tests read it to prove batching. */
export interface StatementCounter { count: number }

/**
 * Opens a subgraph's database: creates it if missing, applies the subgraph's
 * committed migrations, and returns the ORM whose EntityManager is forked
 * per request and per event (the global one is never used directly).
 */
export async function initORM(options: OrmOptions): Promise<{ orm: MikroORM; statements: StatementCounter }> {
  const { config, dbName, log } = options;
  await ensureDatabase(config, dbName);
  const orm = await MikroORM.init({
    driver: PostgreSqlDriver,
    dbName,
    host: config.postgres.host,
    port: config.postgres.port,
    user: config.postgres.user,
    password: config.postgres.password,
    entities: [...eventEntities, ...options.entities],
    extensions: [Migrator],
    migrations: { migrationsList: options.migrations, transactional: true, allOrNothing: true, snapshot: false },
    discovery: { warnWhenNoEntities: false },
    pool: { min: 0, max: options.poolMax ?? config.postgres.poolMax, afterCreate: preparingConnections },
    allowGlobalContext: false,
    forceUtcTimezone: true,
    logger: (message) => log.debug(message),
    // knex's own warnings (a pooled connection the database ended, say) go to the structured log, not console.log.
    driverOptions: { log: knexLog(log) },
  });
  sendingParameters(orm.em.getConnection());
  const statements: StatementCounter = { count: 0 };
  const counted = dbStatements.labels({ database: dbName });
  orm.em.getConnection().getKnex().on('query', () => { statements.count += 1; counted.inc(); });
  await whileHoldingMigrationLock(config, dbName, () => orm.getMigrator().up());
  return { orm, statements };
}

/** knex's logger hooks, writing to the subgraph's log under `source: 'knex'`. */
function knexLog(log: Logger) {
  const knex = log.child({ source: 'knex' });
  return {
    warn: (message: string) => knex.warn(message),
    error: (message: string) => knex.error(message),
    deprecate: (message: string) => knex.warn(message),
    debug: (message: unknown) => knex.debug({ knex: message }, 'knex debug'),
  };
}
