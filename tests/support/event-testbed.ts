import { MikroORM } from '@mikro-orm/postgresql';
import { MigrationObject } from '@mikro-orm/core';
import { NatsConnection } from '@nats-io/transport-node';
import {
  EventEnvelope, Logger, PlatformConfig, SubgraphName, connectNats, createLogger, databaseName, deleteStream, dropDatabase, ensureStream,
  initORM, newId,
} from '@shop/platform';
import { testConfig } from './stack';

/**
 * What the platform's event tests run on: a database of their own with the
 * event tables (and any migrations the test adds) and a JetStream stream
 * under the test's own prefix, both removed by `close`.
 */
export class EventTestbed {
  readonly config: PlatformConfig = testConfig();
  readonly log: Logger = createLogger('test', 'silent');
  readonly dbName: string;

  private opened: { orm: MikroORM; nc: NatsConnection } | null = null;

  constructor(subgraph: SubgraphName, private readonly migrations: MigrationObject[]) {
    this.dbName = databaseName(this.config, subgraph);
  }

  /** Creates and migrates the database, connects to NATS as `client` and creates the stream. */
  async open(client: string): Promise<{ orm: MikroORM; nc: NatsConnection }> {
    const { orm } = await initORM({ config: this.config, dbName: this.dbName, entities: [], log: this.log, migrations: this.migrations });
    const nc = await connectNats(this.config, client);
    await ensureStream(nc, this.config.eventPrefix);
    this.opened = { orm, nc };
    return this.opened;
  }

  /** Deletes the stream, closes the connections and drops the database. */
  async close(): Promise<void> {
    if (!this.opened) return;
    const { orm, nc } = this.opened;
    await deleteStream(nc, this.config.eventPrefix);
    await nc.drain();
    await orm.close(true);
    await dropDatabase(this.config, this.dbName);
  }
}

/** A fresh `inventory.stock.changed` event for one product. */
export function stockChangedEvent(productId: string): EventEnvelope<'inventory.stock.changed'> {
  return {
    id: newId(), type: 'inventory.stock.changed', occurredAt: new Date().toISOString(),
    data: { productId, onHand: 1, reserved: 0, available: 1, reason: 'SET_STOCK', version: 1 },
  };
}
