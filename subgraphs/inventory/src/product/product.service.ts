import { isId } from '@shop/platform';
import { InventoryContext } from '../context';
import { StockLevel } from '../stock/stock-level.entity';

/** A catalog product as inventory sees it: an id, and its stock once loaded. */
export interface ProductRef {
  id: string;
  stock?: StockLevel;
}

/**
 * Resolves a product the gateway names. Its stock is loaded at once, through
 * the request's DataLoader, so 50 representations cost one statement. An id
 * that cannot name a product resolves to null; a well-formed one inventory
 * has never heard of has empty stock (the catalog's word on existence wins).
 */
export function resolveProduct(ctx: InventoryContext, id: string): Promise<ProductRef> | null {
  if (!isId(id)) return null;
  return ctx.loaders.stockLevel.load(id).then((stock) => ({ id, stock }));
}

/** The product's stock, from the reference when it came loaded. */
export function productStock(ctx: InventoryContext, product: ProductRef): Promise<StockLevel> | StockLevel {
  return product.stock ?? ctx.loaders.stockLevel.load(product.id);
}
