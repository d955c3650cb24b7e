import { BigIntType, EntitySchema } from '@mikro-orm/postgresql';

/**
 * The cart's copy of a product's available stock, kept by
 * inventory.stock.changed; only a newer `version` replaces it. A product
 * without a row was never counted: nothing is available.
 */
export class ProjectedStock {
  /** The product id (column product_id). */
  id!: string;
  available!: number;
  version!: number;
}

export const ProjectedStockSchema = new EntitySchema<ProjectedStock>({
  class: ProjectedStock,
  tableName: 'stock',
  properties: {
    id: { type: 'uuid', primary: true, fieldName: 'product_id' },
    available: { type: 'integer' },
    version: { type: new BigIntType('number') },
  },
});
