import DataLoader from 'dataloader';
import { EntityManager } from '@mikro-orm/postgresql';
import { isId } from '@shop/platform';
import { StockLevel, emptyStockLevel } from './stock-level.entity';

/**
 * Loads stock levels by product id, one statement per tick however many
 * products a request asks about. A product without a row (never counted, or
 * not known yet) loads as empty stock; an id that cannot name a row never
 * reaches the database.
 */
export function stockLevelLoader(em: EntityManager): DataLoader<string, StockLevel> {
  return new DataLoader(async (productIds) => {
    const ids = productIds.filter(isId);
    const rows = ids.length ? await em.find(StockLevel, { productId: { $in: ids } }) : [];
    const byProduct = new Map(rows.map((row) => [row.productId, row]));
    return productIds.map((id) => byProduct.get(id) ?? emptyStockLevel(id));
  });
}
