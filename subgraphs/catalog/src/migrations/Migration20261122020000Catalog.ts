import { Migration } from '@mikro-orm/migrations';

const SLUG_CHECK = `slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND char_length(slug) <= 120`;

export class Migration20261122020000Catalog extends Migration {
  override async up(): Promise<void> {
    this.addSql(`CREATE TABLE categories (
      id uuid PRIMARY KEY,
      parent_id uuid NULL REFERENCES categories (id) DEFERRABLE INITIALLY DEFERRED,
      name varchar(100) NOT NULL CHECK (btrim(name) <> ''),
      slug varchar(120) NOT NULL CHECK (${SLUG_CHECK}),
      created_at timestamptz NOT NULL,
      CHECK (parent_id IS NULL OR parent_id <> id)
    )`);
    this.addSql('CREATE UNIQUE INDEX categories_slug_unique ON categories (slug)');
    this.addSql('CREATE INDEX categories_parent_idx ON categories (parent_id, name)');

    // `search` is computed by PostgreSQL from name (weight A) and description (weight B).
    this.addSql(`CREATE TABLE products (
      id uuid PRIMARY KEY,
      slug varchar(120) NOT NULL CHECK (${SLUG_CHECK}),
      name varchar(200) NOT NULL CHECK (btrim(name) <> ''),
      description text NOT NULL DEFAULT '' CHECK (char_length(description) <= 5000),
      category_id uuid NULL REFERENCES categories (id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
      price_amount integer NOT NULL CHECK (price_amount BETWEEN 0 AND 100000000),
      price_currency varchar(3) NOT NULL CHECK (price_currency ~ '^[A-Z]{3}$'),
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, name), 'A') ||
        setweight(to_tsvector('english'::regconfig, description), 'B')
      ) STORED
    )`);
    this.addSql('CREATE UNIQUE INDEX products_slug_unique ON products (slug)');
    this.addSql('CREATE INDEX products_search_idx ON products USING GIN (search)');
    this.addSql('CREATE INDEX products_newest_idx ON products (created_at DESC, id DESC)');
    this.addSql('CREATE INDEX products_name_idx ON products (lower(name), id)');
    this.addSql('CREATE INDEX products_category_idx ON products (category_id)');

    // The base currency (EUR) has no row: its rate is 1 by definition.
    this.addSql(`CREATE TABLE exchange_rates (
      currency varchar(3) PRIMARY KEY CHECK (currency ~ '^[A-Z]{3}$' AND currency <> 'EUR'),
      rate_scaled bigint NOT NULL CHECK (rate_scaled > 0),
      minor_digits smallint NOT NULL CHECK (minor_digits BETWEEN 0 AND 4),
      updated_at timestamptz NOT NULL
    )`);

    // Projection of inventory's stock, fed by inventory.stock.changed; no FK, events may precede products.
    this.addSql(`CREATE TABLE product_stock (
      product_id uuid PRIMARY KEY,
      available integer NOT NULL,
      version bigint NOT NULL CHECK (version >= 0),
      updated_at timestamptz NOT NULL
    )`);
    this.addSql('CREATE INDEX product_stock_available_idx ON product_stock (product_id) WHERE available > 0');
  }

  override async down(): Promise<void> {
    this.addSql('DROP TABLE product_stock');
    this.addSql('DROP TABLE exchange_rates');
    this.addSql('DROP TABLE products');
    this.addSql('DROP TABLE categories');
  }
}
