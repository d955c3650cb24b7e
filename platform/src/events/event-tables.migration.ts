import { Migration } from '@mikro-orm/migrations';

/** The outbox and inbox tables every subgraph's database holds; first in each migration list. */
export class Migration20261122000000EventTables extends Migration {
  override async up(): Promise<void> {
    // seq keeps the order in which events were recorded; the relay publishes in that order.
    this.addSql(`CREATE TABLE outbox_events (
      seq bigint GENERATED ALWAYS AS IDENTITY,
      id uuid PRIMARY KEY,
      type varchar(255) NOT NULL,
      payload jsonb NOT NULL,
      occurred_at timestamptz NOT NULL,
      published_at timestamptz NULL
    )`);
    this.addSql('CREATE INDEX outbox_events_unpublished_idx ON outbox_events (seq) WHERE published_at IS NULL');
    this.addSql(`CREATE TABLE processed_events (
      consumer varchar(255) NOT NULL,
      event_id uuid NOT NULL,
      processed_at timestamptz NOT NULL,
      PRIMARY KEY (consumer, event_id)
    )`);
  }

  override async down(): Promise<void> {
    this.addSql('DROP TABLE processed_events');
    this.addSql('DROP TABLE outbox_events');
  }
}

export const eventTablesMigration = { name: 'Migration20261122000000EventTables', class: Migration20261122000000EventTables };
