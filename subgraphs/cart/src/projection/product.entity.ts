import { EntitySchema } from '@mikro-orm/postgresql';

/**
 * The cart's copy of what it needs of a catalog product, kept by
 * catalog.product.created/updated. `updatedAt` is the occurredAt of the
 * event applied last: an older event never overwrites a newer one.
 */
export class ProjectedProduct {
  /** The catalog's product id (column product_id). */
  id!: string;
  name!: string;
  priceAmount!: number;
  priceCurrency!: string;
  updatedAt!: Date;
}

export const ProjectedProductSchema = new EntitySchema<ProjectedProduct>({
  class: ProjectedProduct,
  tableName: 'products',
  properties: {
    id: { type: 'uuid', primary: true, fieldName: 'product_id' },
    name: { type: 'string' },
    priceAmount: { type: 'integer' },
    priceCurrency: { type: 'string' },
    updatedAt: { type: 'datetime' },
  },
});
