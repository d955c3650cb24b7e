import { requireRole } from '@shop/platform';
import { CatalogContext } from '../context';

/**
 * A product's stock as catalog's copy of inventory's events holds it: what
 * catalog answers for `Product.stock`. A product inventory never counted has
 * no row: nothing on hand, nothing reserved. The counts are null on rows
 * copied before the copy kept them, until the product's stock next changes.
 */
export interface StockCopy { productId: string; available: number; onHand: number | null; reserved: number | null }

/** The exact counts are for ADMINs; everyone else sees only availability. */
export function adminCount(ctx: CatalogContext, count: number | null): number | null {
  requireRole(ctx.identity, 'ADMIN');
  return count;
}
