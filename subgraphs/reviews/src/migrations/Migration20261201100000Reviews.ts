import { Migration } from '@mikro-orm/migrations';

/**
 * Purchases learnt from delivered orders, reviews, and each product's
 * rating kept as a running count and sum. The database holds the rules the
 * code relies on: one review per customer and product, ratings 1 to 5, a
 * body of 1 to 2000 characters, a rating row never below what it counts.
 */
export class Migration20261201100000Reviews extends Migration {
  override async up(): Promise<void> {
    this.addSql(`CREATE TABLE purchases (
      order_id uuid NOT NULL,
      product_id uuid NOT NULL,
      customer_id uuid NOT NULL,
      delivered_at timestamptz NOT NULL,
      PRIMARY KEY (order_id, product_id)
    )`);
    this.addSql('CREATE INDEX purchases_customer_product_idx ON purchases (customer_id, product_id)');
    this.addSql(`CREATE TABLE reviews (
      id uuid PRIMARY KEY,
      product_id uuid NOT NULL,
      author_id uuid NOT NULL,
      rating smallint NOT NULL CONSTRAINT reviews_rating_range CHECK (rating BETWEEN 1 AND 5),
      body text NOT NULL CONSTRAINT reviews_body_length CHECK (char_length(body) BETWEEN 1 AND 2000),
      created_at timestamptz NOT NULL
    )`);
    // One review per customer and product, also when two arrive at once.
    this.addSql('CREATE UNIQUE INDEX reviews_product_author_unique ON reviews (product_id, author_id)');
    // The keyset of Product.reviews: newest first.
    this.addSql('CREATE INDEX reviews_product_page_idx ON reviews (product_id, created_at DESC, id DESC)');
    this.addSql(`CREATE TABLE product_ratings (
      product_id uuid PRIMARY KEY,
      rating_count int NOT NULL CONSTRAINT product_ratings_count_positive CHECK (rating_count > 0),
      rating_sum bigint NOT NULL CONSTRAINT product_ratings_sum_in_range CHECK (rating_sum BETWEEN rating_count AND 5 * rating_count),
      updated_at timestamptz NOT NULL
    )`);
  }

  override async down(): Promise<void> {
    this.addSql('DROP TABLE product_ratings');
    this.addSql('DROP TABLE reviews');
    this.addSql('DROP TABLE purchases');
  }
}
