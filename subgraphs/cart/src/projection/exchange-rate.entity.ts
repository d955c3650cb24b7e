import { BigIntType, EntitySchema } from '@mikro-orm/postgresql';

/**
 * Units of `currency` per one EUR, scaled by RATE_SCALE (1e9), kept by
 * catalog.exchange-rate.set. EUR itself has no row: its rate is RATE_SCALE.
 */
export class ProjectedRate {
  currency!: string;
  rateScaled!: bigint;
  updatedAt!: Date;
}

export const ProjectedRateSchema = new EntitySchema<ProjectedRate>({
  class: ProjectedRate,
  tableName: 'exchange_rates',
  properties: {
    currency: { type: 'string', primary: true },
    rateScaled: { type: new BigIntType('bigint') },
    updatedAt: { type: 'datetime' },
  },
});
