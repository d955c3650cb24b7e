import { EntitySchema } from '@mikro-orm/postgresql';

/**
 * A product inventory knows exists, learnt from catalog.product.created.
 * Stock can only be set for these; the catalog owns everything else about them.
 */
export class KnownProduct {
  id!: string;
  /** When inventory learnt of the product. */
  createdAt!: Date;
}

export const KnownProductSchema = new EntitySchema<KnownProduct>({
  class: KnownProduct,
  tableName: 'products',
  properties: {
    id: { type: 'uuid', primary: true },
    createdAt: { type: 'datetime' },
  },
});
