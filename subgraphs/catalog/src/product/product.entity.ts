import { EntitySchema } from '@mikro-orm/postgresql';

/**
 * Something the shop sells. The price is an integer of minor units in the
 * product's own currency. The table also holds a generated `search`
 * tsvector, deliberately not mapped: only SQL reads it.
 */
export class Product {
  id!: string;
  slug!: string;
  name!: string;
  description!: string;
  categoryId?: string | null;
  priceAmount!: number;
  priceCurrency!: string;
  createdAt!: Date;
  updatedAt!: Date;
}

export const ProductSchema = new EntitySchema<Product>({
  class: Product,
  tableName: 'products',
  properties: {
    id: { type: 'uuid', primary: true },
    slug: { type: 'string', unique: true },
    name: { type: 'string' },
    description: { type: 'text' },
    categoryId: { type: 'uuid', nullable: true },
    priceAmount: { type: 'integer' },
    priceCurrency: { type: 'string' },
    createdAt: { type: 'datetime' },
    updatedAt: { type: 'datetime' },
  },
});

/** Columns of `products` that map onto Product (everything but `search`). */
export const PRODUCT_COLUMNS = [
  'id', 'slug', 'name', 'description', 'category_id', 'price_amount', 'price_currency', 'created_at', 'updated_at',
] as const;
