import { Migration } from '@mikro-orm/migrations';

/**
 * One row per approved return whose lines went back on the shelf: the
 * primary key is what makes a redelivered or repeated approval restock
 * nothing a second time.
 */
export class Migration20261201090000ReturnRestocks extends Migration {
  override async up(): Promise<void> {
    this.addSql(`CREATE TABLE return_restocks (
      return_id uuid PRIMARY KEY,
      order_id uuid NOT NULL,
      created_at timestamptz NOT NULL
    )`);
  }

  override async down(): Promise<void> {
    this.addSql('DROP TABLE return_restocks');
  }
}
