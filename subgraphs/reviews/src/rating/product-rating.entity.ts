import { BigIntType, EntitySchema } from '@mikro-orm/postgresql';

/**
 * A product's rating as a running count and sum of its reviews' ratings,
 * updated in the transaction that adds a review, so reading a rating never
 * averages the reviews. A product without reviews has no row.
 */
export class ProductRating {
  productId!: string;
  ratingCount!: number;
  ratingSum!: number;
  updatedAt!: Date;
}

export const ProductRatingSchema = new EntitySchema<ProductRating>({
  class: ProductRating,
  tableName: 'product_ratings',
  properties: {
    productId: { type: 'uuid', primary: true },
    ratingCount: { type: 'integer' },
    ratingSum: { type: new BigIntType('number') },
    updatedAt: { type: 'datetime' },
  },
});

/** The average rating, or null while nothing is counted. */
export function averageOf(rating: { ratingCount: number; ratingSum: number } | null): number | null {
  return rating && rating.ratingCount > 0 ? rating.ratingSum / rating.ratingCount : null;
}
