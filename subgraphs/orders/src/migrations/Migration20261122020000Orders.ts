import { Migration } from '@mikro-orm/migrations';

const STATUSES = "('PENDING','CONFIRMED','SHIPPED','DELIVERED','CANCELLED','RETURN_REQUESTED','RETURNED')";

export class Migration20261122020000Orders extends Migration {
  override async up(): Promise<void> {
    this.addSql('CREATE SEQUENCE order_number_seq');
    this.addSql(`CREATE TABLE orders (
      id uuid PRIMARY KEY,
      number varchar(20) NOT NULL UNIQUE,
      customer_id uuid NOT NULL,
      cart_id uuid NOT NULL,
      idempotency_key varchar(100) NOT NULL,
      status varchar(20) NOT NULL CHECK (status IN ${STATUSES}),
      currency char(3) NOT NULL,
      subtotal integer NOT NULL CHECK (subtotal >= 0),
      discount integer NOT NULL CHECK (discount >= 0 AND discount <= subtotal),
      shipping_total integer NOT NULL CHECK (shipping_total >= 0),
      total integer NOT NULL CHECK (total = subtotal - discount + shipping_total),
      coupon_code varchar(64) NULL,
      shipping_method_id varchar(100) NOT NULL,
      shipping_address jsonb NOT NULL,
      cancellation_reason text NULL,
      placed_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      UNIQUE (customer_id, idempotency_key)
    )`);
    this.addSql('CREATE INDEX orders_customer_idx ON orders (customer_id, placed_at DESC, id DESC)');
    this.addSql('CREATE INDEX orders_placed_idx ON orders (placed_at DESC, id DESC)');
    this.addSql('CREATE INDEX orders_pending_idx ON orders (placed_at) WHERE status = \'PENDING\'');
    this.addSql(`CREATE TABLE order_lines (
      id uuid PRIMARY KEY,
      order_id uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
      product_id uuid NOT NULL,
      product_name varchar(200) NOT NULL,
      quantity integer NOT NULL CHECK (quantity > 0),
      unit_price integer NOT NULL CHECK (unit_price >= 0),
      line_total integer NOT NULL CHECK (line_total = unit_price * quantity),
      position integer NOT NULL
    )`);
    this.addSql('CREATE INDEX order_lines_order_idx ON order_lines (order_id, position)');
    this.addSql(`CREATE TABLE order_status_changes (
      id uuid PRIMARY KEY,
      order_id uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
      status varchar(20) NOT NULL CHECK (status IN ${STATUSES}),
      reason text NULL,
      at timestamptz NOT NULL
    )`);
    this.addSql('CREATE INDEX order_status_changes_order_idx ON order_status_changes (order_id, at)');
  }

  override async down(): Promise<void> {
    this.addSql('DROP TABLE order_status_changes');
    this.addSql('DROP TABLE order_lines');
    this.addSql('DROP TABLE orders');
    this.addSql('DROP SEQUENCE order_number_seq');
  }
}
