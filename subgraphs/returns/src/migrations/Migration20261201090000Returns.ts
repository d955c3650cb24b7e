import { Migration } from '@mikro-orm/migrations';

/**
 * Delivered orders as returns learns them from orders.order.delivered, and
 * the return requests made against them. The partial unique index holds the
 * rule that a line is in at most one return that is not REJECTED, whatever
 * the code does.
 */
export class Migration20261201090000Returns extends Migration {
  override async up(): Promise<void> {
    this.addSql(`CREATE TABLE delivered_orders (
      id uuid PRIMARY KEY,
      number varchar(20) NOT NULL,
      customer_id uuid NOT NULL,
      currency char(3) NOT NULL,
      subtotal integer NOT NULL CHECK (subtotal >= 0),
      discount integer NOT NULL CHECK (discount >= 0 AND discount <= subtotal),
      shipping_total integer NOT NULL CHECK (shipping_total >= 0),
      total integer NOT NULL,
      delivered_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL
    )`);
    this.addSql(`CREATE TABLE delivered_order_lines (
      id uuid PRIMARY KEY,
      order_id uuid NOT NULL REFERENCES delivered_orders (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
      product_id uuid NOT NULL,
      name varchar(200) NOT NULL,
      quantity integer NOT NULL CHECK (quantity > 0),
      unit_price integer NOT NULL CHECK (unit_price >= 0),
      position integer NOT NULL
    )`);
    this.addSql('CREATE INDEX delivered_order_lines_order_idx ON delivered_order_lines (order_id, position)');
    this.addSql(`CREATE TABLE return_requests (
      id uuid PRIMARY KEY,
      order_id uuid NOT NULL REFERENCES delivered_orders (id) DEFERRABLE INITIALLY DEFERRED,
      customer_id uuid NOT NULL,
      status varchar(16) NOT NULL CHECK (status IN ('REQUESTED', 'APPROVED', 'REJECTED', 'REFUNDED')),
      reason text NOT NULL,
      rejection_reason text NULL,
      refund_amount integer NULL CHECK (refund_amount >= 0),
      refunded_amount integer NULL CHECK (refunded_amount >= 0),
      created_at timestamptz NOT NULL,
      decided_at timestamptz NULL,
      refunded_at timestamptz NULL,
      restocked_at timestamptz NULL,
      CONSTRAINT return_requests_rejection CHECK ((status = 'REJECTED') = (rejection_reason IS NOT NULL)),
      CONSTRAINT return_requests_refund CHECK ((status IN ('APPROVED', 'REFUNDED')) = (refund_amount IS NOT NULL)),
      CONSTRAINT return_requests_refunded CHECK ((status = 'REFUNDED') = (refunded_amount IS NOT NULL))
    )`);
    this.addSql('CREATE INDEX return_requests_order_idx ON return_requests (order_id, created_at, id)');
    this.addSql('CREATE INDEX return_requests_queue_idx ON return_requests (created_at, id)');
    this.addSql(`CREATE TABLE return_lines (
      return_id uuid NOT NULL REFERENCES return_requests (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
      line_id uuid NOT NULL REFERENCES delivered_order_lines (id) DEFERRABLE INITIALLY DEFERRED,
      active boolean NOT NULL DEFAULT true,
      PRIMARY KEY (return_id, line_id)
    )`);
    // A line is in at most one return still standing; a rejection sets its lines inactive.
    this.addSql('CREATE UNIQUE INDEX return_lines_active_line_unique ON return_lines (line_id) WHERE active');
  }

  override async down(): Promise<void> {
    this.addSql('DROP TABLE return_lines');
    this.addSql('DROP TABLE return_requests');
    this.addSql('DROP TABLE delivered_order_lines');
    this.addSql('DROP TABLE delivered_orders');
  }
}
