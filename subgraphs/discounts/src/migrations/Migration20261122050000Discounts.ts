import { Migration } from '@mikro-orm/migrations';

/**
 * Coupons and their redemptions (one per order). The CHECKs hold the
 * coupon rules whatever the code does; the redemption's status moves
 * PENDING → CONFIRMED or RELEASED as the order's saga ends.
 */
export class Migration20261122050000Discounts extends Migration {
  override async up(): Promise<void> {
    this.addSql(`CREATE TABLE coupons (
      id uuid PRIMARY KEY,
      code varchar(32) NOT NULL CHECK (code = upper(code)),
      kind varchar(8) NOT NULL CHECK (kind IN ('PERCENT', 'FIXED')),
      value int NOT NULL CHECK (value > 0 AND (kind <> 'PERCENT' OR value <= 100)),
      min_subtotal int NULL CHECK (min_subtotal >= 0),
      starts_at timestamptz NULL,
      ends_at timestamptz NULL,
      usage_limit int NULL CHECK (usage_limit > 0),
      created_at timestamptz NOT NULL,
      CONSTRAINT coupons_period CHECK (starts_at IS NULL OR ends_at IS NULL OR starts_at < ends_at)
    )`);
    this.addSql('CREATE UNIQUE INDEX coupons_code_unique ON coupons (code)');
    this.addSql(`CREATE TABLE coupon_redemptions (
      order_id uuid PRIMARY KEY,
      coupon_id uuid NOT NULL REFERENCES coupons (id) DEFERRABLE INITIALLY DEFERRED,
      customer_id uuid NOT NULL,
      status varchar(10) NOT NULL CHECK (status IN ('PENDING', 'CONFIRMED', 'RELEASED')),
      discount int NOT NULL CHECK (discount >= 0),
      attached_at timestamptz NULL,
      release_reason varchar(16) NULL CHECK (release_reason IN ('ORDER_CANCELLED', 'ABANDONED')),
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      CONSTRAINT coupon_redemptions_release_reason CHECK ((status = 'RELEASED') = (release_reason IS NOT NULL))
    )`);
    this.addSql('CREATE INDEX coupon_redemptions_coupon_idx ON coupon_redemptions (coupon_id, status)');
    // What the sweeper looks for: claims whose order never appeared.
    this.addSql(`CREATE INDEX coupon_redemptions_unattached_idx ON coupon_redemptions (created_at)
      WHERE status = 'PENDING' AND attached_at IS NULL`);
  }

  override async down(): Promise<void> {
    this.addSql('DROP TABLE coupon_redemptions');
    this.addSql('DROP TABLE coupons');
  }
}
