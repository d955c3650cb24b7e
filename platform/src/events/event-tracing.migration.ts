import { Migration } from '@mikro-orm/migrations';

/** The request id and trace context an outbox row was recorded with, so its NATS message carries them; after the event tables. */
export class Migration20261201000000EventTracing extends Migration {
  override async up(): Promise<void> {
    this.addSql('ALTER TABLE outbox_events ADD COLUMN request_id varchar(128) NULL, ADD COLUMN trace_context varchar(512) NULL');
  }

  override async down(): Promise<void> {
    this.addSql('ALTER TABLE outbox_events DROP COLUMN trace_context, DROP COLUMN request_id');
  }
}

export const eventTracingMigration = { name: 'Migration20261201000000EventTracing', class: Migration20261201000000EventTracing };
