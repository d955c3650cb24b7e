import DataLoader from 'dataloader';
import { EntityManager } from '@mikro-orm/postgresql';
import { SubgraphContext } from '@shop/platform';
import { StockLevel } from './stock/stock-level.entity';
import { stockLevelLoader } from './stock/stock-level.loader';

export interface InventoryLoaders {
  /** Stock by product id; empty stock for a product without a row. */
  stockLevel: DataLoader<string, StockLevel>;
}

export type InventoryContext = SubgraphContext<InventoryLoaders>;

export function createLoaders(em: EntityManager): InventoryLoaders {
  return { stockLevel: stockLevelLoader(em) };
}
