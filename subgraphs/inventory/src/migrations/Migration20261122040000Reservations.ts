import { Migration } from '@mikro-orm/migrations';

/** Stock held for orders by the checkout saga. */
export class Migration20261122040000Reservations extends Migration {
  override async up(): Promise<void> {
    this.addSql(`CREATE TABLE reservations (
      order_id uuid PRIMARY KEY,
      status varchar(16) NOT NULL CHECK (status IN ('RESERVED', 'SOLD', 'RELEASED', 'EXPIRED', 'REFUSED', 'VOIDED', 'RETURNED')),
      expires_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    )`);
    this.addSql(`CREATE INDEX reservations_expiry_idx ON reservations (expires_at) WHERE status = 'RESERVED'`);
    this.addSql(`CREATE TABLE reservation_lines (
      order_id uuid NOT NULL REFERENCES reservations (order_id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
      product_id uuid NOT NULL,
      quantity int NOT NULL CHECK (quantity > 0),
      PRIMARY KEY (order_id, product_id)
    )`);
  }

  override async down(): Promise<void> {
    this.addSql('DROP TABLE reservation_lines');
    this.addSql('DROP TABLE reservations');
  }
}
