import DataLoader from 'dataloader';
import { EntityManager } from '@mikro-orm/postgresql';
import { ProductRating } from './product-rating.entity';

/** Ratings by product id, one statement per tick; null for a product without reviews. */
export function productRatingLoader(em: EntityManager): DataLoader<string, ProductRating | null> {
  return new DataLoader(async (productIds) => {
    const rows = await em.find(ProductRating, { productId: { $in: [...productIds] } });
    const byProduct = new Map(rows.map((row) => [row.productId, row]));
    return productIds.map((id) => byProduct.get(id) ?? null);
  });
}
