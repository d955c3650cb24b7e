import { BigIntType, EntitySchema } from '@mikro-orm/postgresql';

/**
 * How many units of `currency` one unit of the base currency buys, held
 * exactly as an integer scaled by RATE_SCALE (1e9). `minorDigits` is stored
 * beside it so that SQL can convert prices without knowing ISO 4217.
 */
export class ExchangeRate {
  currency!: string;
  rateScaled!: bigint;
  minorDigits!: number;
  updatedAt!: Date;
}

export const ExchangeRateSchema = new EntitySchema<ExchangeRate>({
  class: ExchangeRate,
  tableName: 'exchange_rates',
  properties: {
    currency: { type: 'string', primary: true },
    rateScaled: { type: new BigIntType('bigint') },
    minorDigits: { type: 'smallint' },
    updatedAt: { type: 'datetime' },
  },
});
