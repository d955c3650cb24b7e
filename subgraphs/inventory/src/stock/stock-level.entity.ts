import { BigIntType, EntitySchema } from '@mikro-orm/postgresql';

/**
 * The stock of one product. `reserved` units are held for orders not yet
 * shipped, so `onHand - reserved` is what customers can still buy. The
 * database refuses a negative count or more reserved than on hand; only
 * `applyMovement` writes here, bumping `version` on every change.
 */
export class StockLevel {
  productId!: string;
  onHand!: number;
  reserved!: number;
  version!: number;
  updatedAt!: Date;
}

export const StockLevelSchema = new EntitySchema<StockLevel>({
  class: StockLevel,
  tableName: 'stock_levels',
  properties: {
    productId: { type: 'uuid', primary: true },
    onHand: { type: 'integer' },
    reserved: { type: 'integer' },
    version: { type: new BigIntType('number') },
    updatedAt: { type: 'datetime' },
  },
});

/** A stock level as a plain value, outside any unit of work (flushing never writes it). */
export function stockLevel(fields: StockLevel): StockLevel {
  return Object.assign(new StockLevel(), fields);
}

/** The stock of a product nobody has counted yet: nothing on hand, nothing reserved, version 0. */
export function emptyStockLevel(productId: string): StockLevel {
  return stockLevel({ productId, onHand: 0, reserved: 0, version: 0, updatedAt: new Date(0) });
}

/** Units customers can still buy. */
export function available(level: StockLevel): number {
  return Math.max(0, level.onHand - level.reserved);
}
