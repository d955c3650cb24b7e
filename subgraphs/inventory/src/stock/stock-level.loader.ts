import DataLoader from 'dataloader';
import { EntityManager } from '@mikro-orm/postgresql';
import { isId } from '@shop/platform';
import { StockLevel, emptyStockLevel, stockLevel } from './stock-level.entity';

/**
 * Loads stock levels by product id, one statement per tick however many
 * products a request asks about. A product without a row (never counted, or
 * not known yet) loads as empty stock; an id that cannot name a row never
 * reaches the database. Plain rows through the ORM's knex (still counted),
 * not managed entities: a read answers a query, and hydrating entities
 * into the identity map cost more than the statement on product listings.
 */
export function stockLevelLoader(em: EntityManager): DataLoader<string, StockLevel> {
  const knex = em.getKnex();
  return new DataLoader(async (productIds) => {
    const ids = productIds.filter(isId);
    const rows: Record<string, any>[] = ids.length
      ? (await knex.raw('SELECT product_id, on_hand, reserved, version, updated_at FROM stock_levels WHERE product_id = ANY(?::uuid[])', [ids])).rows
      : [];
    const byProduct = new Map(rows.map((r) => [r.product_id as string, stockLevel({
      productId: r.product_id, onHand: r.on_hand, reserved: r.reserved, version: Number(r.version), updatedAt: r.updated_at,
    })]));
    return productIds.map((id) => byProduct.get(id) ?? emptyStockLevel(id));
  });
}
