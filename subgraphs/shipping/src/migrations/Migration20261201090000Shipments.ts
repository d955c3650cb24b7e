import { Migration } from '@mikro-orm/migrations';

export class Migration20261201090000Shipments extends Migration {
  override async up(): Promise<void> {
    this.addSql(`CREATE TABLE shipments (
      id uuid PRIMARY KEY,
      order_id uuid NOT NULL UNIQUE,
      order_number varchar(20) NULL,
      customer_id uuid NOT NULL,
      customer_verified boolean NOT NULL,
      status varchar(20) NOT NULL CHECK (status IN ('PENDING','SHIPPED','DELIVERED','CANCELLED')),
      carrier varchar(100) NULL,
      tracking_number varchar(40) NULL UNIQUE,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      shipped_at timestamptz NULL,
      delivered_at timestamptz NULL,
      CHECK ((status IN ('SHIPPED','DELIVERED')) = (tracking_number IS NOT NULL AND carrier IS NOT NULL AND shipped_at IS NOT NULL)),
      CHECK ((status = 'DELIVERED') = (delivered_at IS NOT NULL))
    )`);
    this.addSql(`CREATE TABLE tracking_events (
      id uuid PRIMARY KEY,
      shipment_id uuid NOT NULL REFERENCES shipments (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
      status varchar(20) NOT NULL CHECK (status IN ('PENDING','SHIPPED','DELIVERED')),
      note text NULL,
      at timestamptz NOT NULL
    )`);
    this.addSql('CREATE INDEX tracking_events_shipment_idx ON tracking_events (shipment_id, at, id)');
  }

  override async down(): Promise<void> {
    this.addSql('DROP TABLE tracking_events');
    this.addSql('DROP TABLE shipments');
  }
}
