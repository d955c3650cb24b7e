import { Migration } from '@mikro-orm/migrations';

/**
 * Carts and their lines, plus the local projections of other subgraphs'
 * facts the cart prices and checks with (products, stock, exchange rates),
 * fed by events. The CHECKs hold the cart's invariants whatever the code does.
 */
export class Migration20261122040000Cart extends Migration {
  override async up(): Promise<void> {
    this.addSql(`CREATE TABLE products (
      product_id uuid PRIMARY KEY,
      name varchar(200) NOT NULL,
      price_amount int NOT NULL CHECK (price_amount >= 0),
      price_currency char(3) NOT NULL,
      updated_at timestamptz NOT NULL
    )`);
    this.addSql(`CREATE TABLE stock (
      product_id uuid PRIMARY KEY,
      available int NOT NULL CHECK (available >= 0),
      version bigint NOT NULL
    )`);
    this.addSql(`CREATE TABLE exchange_rates (
      currency char(3) PRIMARY KEY,
      rate_scaled bigint NOT NULL CHECK (rate_scaled > 0),
      updated_at timestamptz NOT NULL
    )`);
    this.addSql(`CREATE TABLE carts (
      id uuid PRIMARY KEY,
      owner_id uuid NULL,
      coupon_code varchar(32) NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    )`);
    // One cart per user; any number of guest carts.
    this.addSql('CREATE UNIQUE INDEX carts_owner_unique ON carts (owner_id) WHERE owner_id IS NOT NULL');
    this.addSql(`CREATE TABLE cart_lines (
      id uuid PRIMARY KEY,
      cart_id uuid NOT NULL REFERENCES carts (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
      product_id uuid NOT NULL REFERENCES products (product_id) DEFERRABLE INITIALLY DEFERRED,
      quantity int NOT NULL CONSTRAINT cart_lines_quantity_range CHECK (quantity BETWEEN 1 AND 20),
      added_at timestamptz NOT NULL,
      CONSTRAINT cart_lines_product_unique UNIQUE (cart_id, product_id)
    )`);
  }

  override async down(): Promise<void> {
    this.addSql('DROP TABLE cart_lines');
    this.addSql('DROP TABLE carts');
    this.addSql('DROP TABLE exchange_rates');
    this.addSql('DROP TABLE stock');
    this.addSql('DROP TABLE products');
  }
}
