import { Migration } from '@mikro-orm/migrations';

/**
 * Catalog answers a product's public stock and rating itself: the stock copy
 * gains the ADMIN-only counts, and ratings get a copy of their own, fed by
 * reviews.review.added. Rows copied before this migration have no counts
 * (NULL) until the product's stock next changes.
 */
export class Migration20261201120000ProductCopies extends Migration {
  override async up(): Promise<void> {
    this.addSql('ALTER TABLE product_stock ADD COLUMN on_hand integer NULL, ADD COLUMN reserved integer NULL');
    // Projection of reviews' ratings; no FK, events may precede products. rating_count only grows: it orders the events.
    this.addSql(`CREATE TABLE product_ratings (
      product_id uuid PRIMARY KEY,
      rating_count integer NOT NULL CHECK (rating_count > 0),
      rating_average double precision NOT NULL,
      updated_at timestamptz NOT NULL
    )`);
  }

  override async down(): Promise<void> {
    this.addSql('DROP TABLE product_ratings');
    this.addSql('ALTER TABLE product_stock DROP COLUMN on_hand, DROP COLUMN reserved');
  }
}
