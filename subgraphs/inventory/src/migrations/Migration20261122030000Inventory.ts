import { Migration } from '@mikro-orm/migrations';

/**
 * Known products, stock levels and the stock ledger. The CHECKs are the
 * inventory's invariants, held by the database whatever the code does:
 * stock never goes negative and never more is reserved than is on hand.
 */
export class Migration20261122030000Inventory extends Migration {
  override async up(): Promise<void> {
    this.addSql(`CREATE TABLE products (
      id uuid PRIMARY KEY,
      created_at timestamptz NOT NULL
    )`);
    this.addSql(`CREATE TABLE stock_levels (
      product_id uuid PRIMARY KEY REFERENCES products (id),
      on_hand int NOT NULL CONSTRAINT stock_levels_on_hand_non_negative CHECK (on_hand >= 0),
      reserved int NOT NULL DEFAULT 0 CONSTRAINT stock_levels_reserved_non_negative CHECK (reserved >= 0),
      version bigint NOT NULL,
      updated_at timestamptz NOT NULL,
      CONSTRAINT stock_levels_reserved_within_on_hand CHECK (reserved <= on_hand)
    )`);
    this.addSql(`CREATE TABLE stock_movements (
      id uuid PRIMARY KEY,
      product_id uuid NOT NULL REFERENCES products (id),
      on_hand_delta int NOT NULL,
      reserved_delta int NOT NULL,
      on_hand_after int NOT NULL CHECK (on_hand_after >= 0),
      reserved_after int NOT NULL CHECK (reserved_after >= 0 AND reserved_after <= on_hand_after),
      version bigint NOT NULL,
      reason varchar(32) NOT NULL CHECK (reason IN ('SET_STOCK', 'RESERVE', 'RELEASE', 'SALE', 'RETURN')),
      reference varchar(255) NULL,
      created_at timestamptz NOT NULL
    )`);
    // One ledger row per version of a product's stock: a lost or doubled change cannot be written.
    this.addSql('CREATE UNIQUE INDEX stock_movements_product_version_unique ON stock_movements (product_id, version)');
  }

  override async down(): Promise<void> {
    this.addSql('DROP TABLE stock_movements');
    this.addSql('DROP TABLE stock_levels');
    this.addSql('DROP TABLE products');
  }
}
