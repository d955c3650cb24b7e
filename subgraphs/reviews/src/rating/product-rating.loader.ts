import DataLoader from 'dataloader';
import { EntityManager } from '@mikro-orm/postgresql';
import { isId } from '@shop/platform';
import { ProductRating } from './product-rating.entity';

/**
 * Ratings by product id, one statement per tick; null for a product without
 * reviews. Plain rows through the ORM's knex (still counted): a rating on a
 * listing is read for every product shown, and managed entities would cost
 * more than the statement.
 */
export function productRatingLoader(em: EntityManager): DataLoader<string, ProductRating | null> {
  const knex = em.getKnex();
  return new DataLoader(async (productIds) => {
    const ids = productIds.filter(isId);
    const rows: Record<string, any>[] = ids.length
      ? (await knex.raw('SELECT product_id, rating_count, rating_sum, updated_at FROM product_ratings WHERE product_id = ANY(?::uuid[])', [ids])).rows
      : [];
    const byProduct = new Map(rows.map((r) => [r.product_id as string, {
      productId: r.product_id, ratingCount: Number(r.rating_count), ratingSum: Number(r.rating_sum), updatedAt: r.updated_at,
    }]));
    return productIds.map((id) => byProduct.get(id) ?? null);
  });
}
