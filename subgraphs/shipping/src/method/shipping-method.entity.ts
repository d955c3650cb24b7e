import { EntitySchema } from '@mikro-orm/postgresql';

/** In `countries`, this stands for every country no method names explicitly. */
export const REST_OF_WORLD = '*';

/** A flat-rate way to ship an order to a set of countries. */
export class ShippingMethod {
  id!: string;
  /** Stable handle for people and seeds, e.g. eu-standard. */
  code!: string;
  name!: string;
  priceAmount!: number;
  priceCurrency!: string;
  minDays!: number;
  maxDays!: number;
  /** ISO 3166-1 alpha-2 codes served, or [REST_OF_WORLD]. */
  countries!: string[];
  /** Tie-break when two methods cost the same. */
  position!: number;
  createdAt!: Date;
}

export const ShippingMethodSchema = new EntitySchema<ShippingMethod>({
  class: ShippingMethod,
  tableName: 'shipping_methods',
  properties: {
    id: { type: 'uuid', primary: true },
    code: { type: 'string', unique: true },
    name: { type: 'string' },
    priceAmount: { type: 'integer' },
    priceCurrency: { type: 'string' },
    minDays: { type: 'integer' },
    maxDays: { type: 'integer' },
    countries: { type: 'string[]' },
    position: { type: 'integer' },
    createdAt: { type: 'datetime' },
  },
});
